"""GET /api/v1/rule-sets, /development-plans, /budgets: open data, paginated, a fixed number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esep.programs.services import budget_import_csv, plan_import_csv, rule_set_publish
from tests.conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples"


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_rule_sets_are_listed_newest_first_with_the_one_in_force(client) -> None:
    rule_set_publish(
        version="2020-1", effective_from=date(2020, 1, 1), parameters={"max_local_budget_share": 0.3}
    )
    rule_set_publish(
        version="2099-1", effective_from=date(2099, 1, 1), parameters={"max_local_budget_share": 0.2}
    )
    body = client.get("/api/v1/rule-sets").json()
    assert body["count"] == 2
    assert [(r["version"], r["in_force"]) for r in body["items"]] == [("2099-1", False), ("2020-1", True)]
    assert body["items"][1]["parameters"]["max_local_budget_share"] == 0.3


@pytest.mark.django_db
def test_development_plans_come_with_their_items_filtered_by_region(client, tmp_path) -> None:
    plan_import_csv(path=EXAMPLES / "development-plan.csv")
    body = client.get("/api/v1/development-plans?region=100000000").json()
    assert body["count"] == 1
    plan = body["items"][0]
    assert (plan["region"], plan["year_from"], plan["year_to"]) == ("100000000", 2026, 2030)
    assert [item["code"] for item in plan["items"]] == ["ABA-2026-014", "ABA-2026-020", "ABA-2026-031"]
    assert plan["items"][0]["allocations"] == {"2027": 500_000_000, "2028": 400_000_000}
    assert client.get("/api/v1/development-plans?region=110000000").json()["count"] == 0
    assert client.get("/api/v1/development-plans?region=11").status_code == 400


@pytest.mark.django_db
def test_the_plan_list_query_count_does_not_grow_with_items(client, tmp_path) -> None:
    plan_import_csv(path=EXAMPLES / "development-plan.csv")
    few = query_count(client, "/api/v1/development-plans")
    lines = ["region,plan_title,plan_years,code,title,sector,territories,year,allocation_kzt,committed_kzt"]
    for region in ("110000000", "150000000"):
        lines += [
            f"{region},Plan,2026-2030,R{region[:2]}-{n},Item,roads,{region},2027,100,0" for n in range(20)
        ]
    (tmp_path / "more.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan_import_csv(path=tmp_path / "more.csv")
    assert query_count(client, "/api/v1/development-plans") == few


@pytest.mark.django_db
def test_budgets_are_listed_by_unit_and_year(client, unit_a) -> None:
    budget_import_csv(path=EXAMPLES / "local-budget.csv")
    body = client.get(f"/api/v1/budgets?unit={unit_a.kato}&year=2027").json()
    assert body["count"] == 8
    assert {line["unit"] for line in body["items"]} == {unit_a.kato}
    assert sum(line["amount_kzt"] for line in body["items"]) == 125_000_000
    assert client.get("/api/v1/budgets?unit=abc").status_code == 400


@pytest.mark.django_db
def test_the_budget_list_query_count_does_not_grow_with_lines(client, unit_a, unit_a2, tmp_path) -> None:
    budget_import_csv(path=EXAMPLES / "local-budget.csv")
    few = query_count(client, "/api/v1/budgets")
    rows = [f"{unit_a2.kato},{year},land_tax,{year}" for year in range(2024, 2031)]
    (tmp_path / "more.csv").write_text(
        "unit,year,source,amount_kzt\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    budget_import_csv(path=tmp_path / "more.csv")
    assert query_count(client, "/api/v1/budgets") == few
