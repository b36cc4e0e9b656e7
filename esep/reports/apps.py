from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "esep.reports"
    label = "reports"
