from esep.core.admin_site import ReadOnlyAdmin, site
from esep.reports.models import Erratum, Question, Report, ReportNotification, ReportStat, ReportUpdate


class ReportAdmin(ReadOnlyAdmin):
    list_display = ["rural_unit", "mandate", "sequence", "due_on", "status", "published_at", "days_late"]
    list_filter = ["status"]
    list_select_related = ["rural_unit", "mandate"]
    raw_id_fields = ["rural_unit", "mandate"]
    search_fields = ["rural_unit__kato"]


class ReportUpdateAdmin(ReadOnlyAdmin):
    list_display = ["report", "promise", "no_change", "status", "progress"]
    raw_id_fields = ["report", "promise", "event"]


class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["report", "asked_at", "answered_at", "hidden_at"]
    raw_id_fields = ["report", "author"]


class ErratumAdmin(ReadOnlyAdmin):
    list_display = ["report", "published_at"]
    raw_id_fields = ["report"]


class ReportStatAdmin(ReadOnlyAdmin):
    list_display = ["kato", "due", "published", "on_time", "overdue", "next_due_on", "as_of"]
    search_fields = ["kato"]


class ReportNotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "kind", "rural_unit", "due_on", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "rural_unit", "mandate", "report"]


site.register(Report, ReportAdmin)
site.register(ReportUpdate, ReportUpdateAdmin)
site.register(Question, QuestionAdmin)
site.register(Erratum, ErratumAdmin)
site.register(ReportStat, ReportStatAdmin)
site.register(ReportNotification, ReportNotificationAdmin)
