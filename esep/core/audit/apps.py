from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "esep.core.audit"
    label = "audit"
    verbose_name = "Audit log"
