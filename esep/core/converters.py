from django.urls import register_converter


class KatoConverter:
    regex = "[0-9]{9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KatoConverter, "kato")
