from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "esep.elections"
    label = "elections"
