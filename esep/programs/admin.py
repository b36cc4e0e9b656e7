from esep.core.admin_site import ReadOnlyAdmin, site
from esep.programs.models import DevelopmentPlan, LocalBudget, PlanItem, RuleSet


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


site.register(RuleSet, RuleSetAdmin)
site.register(DevelopmentPlan, DevelopmentPlanAdmin)
site.register(PlanItem, PlanItemAdmin)
site.register(LocalBudget, LocalBudgetAdmin)
