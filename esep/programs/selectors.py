"""Reads of the programs app (a fixed number of queries each), and the checker's CONTEXT built from them."""

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _

from esep.core.errors import ApplicationError
from esep.core.kato import district_code, region_code
from esep.powers.selectors import powers_for_checker
from esep.programs.models import DevelopmentPlan, LocalBudget, PlanItem, RuleSet
from esep.territory.models import Territory


def rule_set_in_force(on: date) -> RuleSet | None:
    """The newest rule set whose date has come; of two with the same date, the one published later."""
    return RuleSet.objects.filter(effective_from__lte=on).order_by("-effective_from", "-pk").first()


def rule_set_history() -> QuerySet[RuleSet]:
    return RuleSet.objects.select_related("created_by").order_by("-effective_from", "-pk")


def budget_forecast(unit: Territory) -> dict[int, int]:
    """The unit's revenue forecast per year: every source of the Budget Code added up (one query)."""
    rows = (
        LocalBudget.objects.filter(unit=unit)
        .values("year")
        .annotate(total=Sum("amount_kzt"))
        .order_by("year")
    )
    return {row["year"]: row["total"] for row in rows}


def budget_lines(*, unit: str | None = None, year: int | None = None) -> QuerySet[LocalBudget]:
    lines = LocalBudget.objects.select_related("unit")
    if unit:
        lines = lines.filter(unit__kato=unit)
    if year:
        lines = lines.filter(year=year)
    return lines.order_by("unit__kato", "year", "source")


def development_plans(*, region: str | None = None) -> QuerySet[DevelopmentPlan]:
    """Plans with their region and items: three queries per page whatever the number of items."""
    plans = DevelopmentPlan.objects.select_related("region").prefetch_related(
        Prefetch("items", queryset=PlanItem.objects.order_by("code"))
    )
    if region:
        plans = plans.filter(region__kato=region)
    return plans.order_by("region__kato", "-year_from")


def plan_items_for_unit(unit: Territory) -> QuerySet[PlanItem]:
    """Every item of the plans of the unit's region: those covering the unit, its district or its region, and
    the others too, so the checker can tell 'not in the plan' from 'not for this territory'."""
    return PlanItem.objects.filter(plan__region__kato=region_code(unit.kato)).order_by("code")


def covers(item: PlanItem, unit: Territory) -> bool:
    return bool({unit.kato, district_code(unit.kato), region_code(unit.kato)} & set(item.territories))


def context_for_unit(unit: Territory, *, on: date) -> dict[str, Any]:
    """The checker's CONTEXT for a program in `unit` checked on `on` (four queries).

    Raises ApplicationError when no rule set is in force on that date: no check is possible without one.
    """
    rule_set = rule_set_in_force(on)
    if rule_set is None:
        raise ApplicationError(
            _("No rule set for the economic block is in force on %(date)s.") % {"date": on.isoformat()},
            code="no_rule_set",
        )
    return {
        "rules": {"version": rule_set.version, **rule_set.parameters},
        "local_budget": {str(year): total for year, total in budget_forecast(unit).items()},
        "development_plan": [
            {
                "code": item.code,
                "title": item.title,
                "sector": item.sector,
                "territories": list(item.territories),
                "allocations": dict(item.allocations),
                "committed": dict(item.committed),
            }
            for item in plan_items_for_unit(unit)
        ],
        "powers": powers_for_checker(),
    }
