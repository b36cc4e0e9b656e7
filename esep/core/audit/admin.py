from esep.core.admin_site import ReadOnlyAdmin, site
from esep.core.audit.models import AuditEvent


class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["sequence", "at", "actor_label", "action", "subject_type", "subject_id", "territory"]
    list_filter = ["action"]
    search_fields = ["action", "subject_id", "territory", "actor_label"]


site.register(AuditEvent, AuditEventAdmin)
