"""context_for_unit: the CONTEXT the web UI and the API build from the database, valid for the checker."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esep.core.errors import ApplicationError
from esep.powers.models import Power, PowerStatus
from esep.programs.checker import check_json, parse_context
from esep.programs.models import PlanItem, rule_parameters_with_defaults
from esep.programs.selectors import context_for_unit, covers
from esep.programs.services import budget_import_csv, plan_import_csv, rule_set_publish
from tests.conftest import ROOT
from tests.programs.builders import funding, plan_line, program, promise

EXAMPLES = ROOT / "docs" / "examples"


@pytest.fixture
def reference_data(db) -> None:
    rule_set_publish(
        version="2026-1", effective_from=date(2026, 1, 1), parameters={"max_local_budget_share": 0.3}
    )
    rule_set_publish(
        version="2027-1", effective_from=date(2027, 1, 1), parameters={"max_local_budget_share": 0.2}
    )
    plan_import_csv(path=EXAMPLES / "development-plan.csv")
    budget_import_csv(path=EXAMPLES / "local-budget.csv")


@pytest.mark.django_db
def test_the_context_holds_the_rules_in_force_the_forecast_the_plan_and_the_powers(
    reference_data, unit_a
) -> None:
    data = context_for_unit(unit_a, on=date(2026, 6, 1))
    assert data["rules"] == {
        "version": "2026-1",
        **rule_parameters_with_defaults({"max_local_budget_share": 0.3}),
    }
    assert data["rules"]["report_period_months"] == 6
    assert data["local_budget"] == {"2026": 120_000_000, "2027": 125_000_000}
    assert [item["code"] for item in data["development_plan"]] == [
        "ABA-2026-014",
        "ABA-2026-020",
        "ABA-2026-031",
    ]
    assert {"code": "roads.maintenance", "level": "rural"} in data["powers"]
    assert {"code": "roads.district_network", "level": "district"} in data["powers"]
    parse_context(data)
    assert context_for_unit(unit_a, on=date(2027, 1, 1))["rules"]["version"] == "2027-1"


@pytest.mark.django_db
def test_proposed_powers_are_not_yet_powers_a_program_can_rest_on(reference_data, unit_a) -> None:
    codes = {power["code"] for power in context_for_unit(unit_a, on=date(2026, 6, 1))["powers"]}
    proposed = set(Power.objects.filter(status=PowerStatus.PROPOSED).values_list("code", flat=True))
    assert proposed and not proposed & codes
    assert Power.objects.filter(code="trade.street_trade", status=PowerStatus.PROPOSED).exists()


@pytest.mark.django_db
def test_a_unit_elsewhere_sees_no_budget_and_no_items_of_another_region(reference_data, unit_b) -> None:
    data = context_for_unit(unit_b, on=date(2026, 6, 1))
    assert data["local_budget"] == {} and data["development_plan"] == []


@pytest.mark.django_db
def test_a_program_checked_against_the_database_context(reference_data, unit_a) -> None:
    context = context_for_unit(unit_a, on=date(2026, 6, 1))
    good = program(
        promise("P1", cost=136_000_000, lines=[funding(amount=36_000_000), plan_line(amount=100_000_000)]),
        promise("P2", cost=1, lines=[plan_line("ABA-2026-031", 2026, 1)], power="landscaping.lighting"),
    )
    assert check_json(good, context).findings == ()
    wrong_place = program(promise(cost=1, lines=[plan_line("ABA-2026-020", 2028, 1)]))
    assert [f.code for f in check_json(wrong_place, context).findings] == ["PLAN_TERRITORY_MISMATCH"]


@pytest.mark.django_db
def test_an_item_covers_a_unit_through_its_own_district_or_region_code(
    reference_data, unit_a, unit_a2
) -> None:
    district_item = PlanItem.objects.get(code="ABA-2026-014")  # 103200000, the district of both units
    elsewhere = PlanItem.objects.get(code="ABA-2026-020")  # 104400000, another district
    assert covers(district_item, unit_a) and covers(district_item, unit_a2)
    assert not covers(elsewhere, unit_a)


@pytest.mark.django_db
def test_the_context_costs_four_queries(reference_data, unit_a) -> None:
    with CaptureQueriesContext(connection) as queries:
        context_for_unit(unit_a, on=date(2026, 6, 1))
    assert len(queries) == 4


@pytest.mark.django_db
def test_without_a_rule_set_in_force_there_is_no_context(unit_a) -> None:
    with pytest.raises(ApplicationError) as caught:
        context_for_unit(unit_a, on=date(2026, 6, 1))
    assert caught.value.code == "no_rule_set"
