"""POST /api/v1/programs/check: the checker over HTTP, with JSON errors that name the path."""

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esep.programs.services import rule_set_publish
from tests.programs.builders import context, funding, program, promise
from tests.programs.test_checker_input import PROGRAM_SLOTS, json_values, replaced

URL = "/api/v1/programs/check"


def post(client, body: object):
    return client.post(URL, data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_it_returns_the_report_with_findings(client) -> None:
    response = post(client, {"program": program(promise(cost=5, lines=[])), "context": context()})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False and body["rule_set"] == "2026-1"
    assert body["findings"] == [
        {
            "code": "FUNDING_MISSING",
            "severity": "error",
            "promise": "P1",
            "message": "The promise costs 5 tenge but has no funding lines.",
        }
    ]
    assert body["totals"] == {
        "cost_kzt": 5,
        "funded_kzt": 0,
        "by_source": dict.fromkeys(
            ["local_budget", "district_budget", "development_plan", "republican_program", "sponsor"], 0
        ),
    }


@pytest.mark.django_db
def test_a_clean_program_is_ok(client) -> None:
    response = post(client, {"program": program(), "context": context()})
    assert response.status_code == 200 and response.json()["ok"] is True


@pytest.mark.django_db
def test_an_invalid_program_is_a_400_naming_the_json_path(client) -> None:
    bad = program(promise(lines=[funding(amount=-1)]))
    response = post(client, {"program": bad, "context": context()})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["path"] == "$.program.promises[0].funding[0].amount_kzt"
    assert error["message"].startswith("$.program.promises[0].funding[0].amount_kzt: ")


@pytest.mark.django_db
def test_an_invalid_context_is_a_400_naming_the_json_path(client) -> None:
    response = post(
        client, {"program": program(), "context": context(powers=[{"code": "x.y", "level": "moon"}])}
    )
    assert response.status_code == 400
    assert response.json()["error"]["path"] == "$.context.powers[0].level"


@pytest.mark.django_db
def test_a_body_without_a_program_is_a_400(client) -> None:
    response = post(client, {"context": context()})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_input"
    response = client.post(URL, data="not json", content_type="application/json")
    assert response.status_code == 400 and "error" in response.json()


@pytest.mark.django_db
def test_without_context_it_checks_against_the_database(client, unit_a) -> None:
    rule_set_publish(
        version="api-1", effective_from=date(2020, 1, 1), parameters={"max_local_budget_share": 0.3}
    )
    response = post(client, {"program": program(promise(lines=[funding(year=2026, amount=10_000_000)]))})
    assert response.status_code == 200
    body = response.json()
    # The database has no budget forecast for the unit: the local budget line is in an unknown year.
    assert body["rule_set"] == "api-1"
    assert [f["code"] for f in body["findings"]] == ["LOCAL_BUDGET_UNKNOWN_YEAR"]


@pytest.mark.django_db
def test_without_context_an_unknown_unit_is_a_400(client) -> None:
    response = post(client, {"program": program(unit="999999999")})
    assert response.status_code == 400 and response.json()["error"]["path"] == "$.program.rural_unit"


@pytest.mark.django_db
def test_without_context_and_without_rules_in_force_it_says_so(client, unit_a) -> None:
    response = post(client, {"program": program()})
    assert response.status_code == 400 and response.json()["error"]["code"] == "no_rule_set"


@pytest.mark.django_db
def test_a_logged_in_user_can_check_without_a_csrf_token(make_user) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    assert post(client, {"program": program(), "context": context()}).status_code == 200


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slot=st.sampled_from(PROGRAM_SLOTS), value=json_values, context_value=json_values)
def test_any_body_gets_a_report_or_a_json_error_never_a_500(client, slot, value, context_value) -> None:
    body = {"program": replaced(program(promise(lines=[funding()])), slot, value), "context": context()}
    response = post(client, body)
    assert response.status_code in (200, 400)
    assert ("error" in response.json()) == (response.status_code == 400)
    response = post(client, {"program": program(), "context": context_value})
    assert response.status_code == 400 or context_value is None
