from django.apps import AppConfig


class RecallConfig(AppConfig):
    name = "esep.recall"
    label = "recall"
