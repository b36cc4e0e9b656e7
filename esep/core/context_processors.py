from django.conf import settings
from django.http import HttpRequest


def esep(request: HttpRequest) -> dict:
    return {"ESEP_LANGUAGES": settings.LANGUAGES, "ESEP_DEBUG": settings.DEBUG}
