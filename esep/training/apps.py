from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "esep.training"
    label = "training"
