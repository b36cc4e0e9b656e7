from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "esep.territory"
    label = "territory"
    verbose_name = "Territory (KATO)"
