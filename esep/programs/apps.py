from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "esep.programs"
    label = "programs"
