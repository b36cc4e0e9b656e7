from django.apps import AppConfig


class PowersConfig(AppConfig):
    name = "esep.powers"
    label = "powers"
