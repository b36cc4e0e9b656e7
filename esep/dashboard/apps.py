from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "esep.dashboard"
    label = "dashboard"
