"""Demo reference data: a rule set, a plan for every region, forecasts for every elected unit; idempotent."""

from io import StringIO

import pytest
from django.db.models import Count, Max, Min, Sum

from esep.core.audit.models import AuditEvent
from esep.programs.checker import parse_context
from esep.programs.demo import run_reference_data
from esep.programs.models import DevelopmentPlan, LocalBudget, PlanItem, RuleSet
from esep.programs.selectors import context_for_unit, covers
from esep.territory.models import Territory


@pytest.mark.django_db
def test_the_demo_seeds_rules_plans_and_budgets_once(unit_a) -> None:
    out = StringIO()
    run_reference_data(out=out)
    assert "rule set 2026-1 published" in out.getvalue()
    assert RuleSet.objects.get().parameters["max_local_budget_share"] == 0.3

    assert DevelopmentPlan.objects.count() == 20
    per_plan = DevelopmentPlan.objects.annotate(n=Count("items")).aggregate(low=Min("n"), high=Max("n"))
    assert 10 <= per_plan["low"] and per_plan["high"] <= 30
    sectors = set(PlanItem.objects.values_list("sector", flat=True))
    assert {"roads", "water", "education"} <= sectors

    units = Territory.objects.elected_units().count()
    assert units == 2321
    first_year = LocalBudget.objects.filter(year=2024).values("unit").annotate(total=Sum("amount_kzt"))
    assert first_year.count() == units
    totals = [row["total"] for row in first_year]
    assert 19_000_000 <= min(totals) and max(totals) <= 155_000_000
    assert set(LocalBudget.objects.values_list("year", flat=True).distinct()) == set(range(2024, 2031))

    events = AuditEvent.objects.count()
    again = StringIO()
    run_reference_data(out=again)
    assert again.getvalue() == "" and AuditEvent.objects.count() == events

    context = context_for_unit(unit_a, on=RuleSet.objects.get().effective_from)
    parse_context(context)
    assert set(context["local_budget"]) == {str(year) for year in range(2024, 2031)}
    for item in PlanItem.objects.select_related("plan__region"):
        assert all(code[:2] == item.plan.region.kato[:2] for code in item.territories), item.code
    # The demo accounts' unit can draw on its region's plan.
    assert any(covers(item, unit_a) for item in PlanItem.objects.filter(plan__region__kato="100000000"))
    codes = {code for item in PlanItem.objects.all() for code in item.territories}
    assert Territory.objects.filter(kato__in=codes).count() == len(codes)
