from esep.core.admin_site import ReadOnlyAdmin, site
from esep.programs.models import (
    DevelopmentPlan,
    LocalBudget,
    PlanItem,
    Program,
    Promise,
    PromiseEvent,
    PromiseStat,
    RuleSet,
)


class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ["version", "effective_from", "created_at"]


class DevelopmentPlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "year_from", "year_to"]
    list_select_related = ["region"]


class PlanItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "sector", "plan"]
    list_filter = ["sector"]
    list_select_related = ["plan"]
    search_fields = ["code", "title"]


class LocalBudgetAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "source", "amount_kzt"]
    list_filter = ["year", "source"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]
    search_fields = ["unit__kato"]


class ProgramAdmin(ReadOnlyAdmin):
    list_display = [
        "rural_unit",
        "candidacy",
        "version",
        "status",
        "published_at",
        "check_ok",
        "rule_set_version",
    ]
    list_filter = ["status", "check_ok"]
    list_select_related = ["rural_unit", "candidacy__person"]
    raw_id_fields = ["rural_unit", "candidacy", "previous"]
    search_fields = ["rural_unit__kato"]


class PromiseAdmin(ReadOnlyAdmin):
    list_display = ["local_id", "title", "program", "status", "progress", "deadline", "cost_kzt"]
    list_filter = ["status", "sector"]
    list_select_related = ["program"]
    raw_id_fields = ["program", "removed_in", "power"]
    search_fields = ["title", "program__rural_unit__kato"]


class PromiseEventAdmin(ReadOnlyAdmin):
    list_display = ["promise", "at", "old_status", "new_status", "progress", "source"]
    list_filter = ["kind", "new_status"]
    list_select_related = ["promise"]
    raw_id_fields = ["promise", "actor"]


class PromiseStatAdmin(ReadOnlyAdmin):
    list_display = ["kato", "promises", "kept", "in_progress", "broken", "overdue", "as_of"]
    raw_id_fields = ["unit", "program"]
    search_fields = ["kato"]


site.register(RuleSet, RuleSetAdmin)
site.register(DevelopmentPlan, DevelopmentPlanAdmin)
site.register(PlanItem, PlanItemAdmin)
site.register(LocalBudget, LocalBudgetAdmin)
site.register(Program, ProgramAdmin)
site.register(Promise, PromiseAdmin)
site.register(PromiseEvent, PromiseEventAdmin)
site.register(PromiseStat, PromiseStatAdmin)
