from django.apps import AppConfig


class RegistriesConfig(AppConfig):
    name = "esep.registries"
    label = "registries"
