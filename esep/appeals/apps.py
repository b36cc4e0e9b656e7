from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "esep.appeals"
    label = "appeals"
