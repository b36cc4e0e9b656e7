"""Rule sets: published by analysts as new versions, never edited, the one in force found by date."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.core.models import Role
from esep.programs.models import RuleSet, rule_parameters_with_defaults
from esep.programs.selectors import rule_set_in_force
from esep.programs.services import rule_set_publish

SHARE = {"max_local_budget_share": 0.3}


@pytest.mark.django_db
def test_publishing_records_the_version_with_defaults_and_an_audit_event(make_user) -> None:
    analyst = make_user(Role.ANALYST)
    rule_set = rule_set_publish(
        version="2026-1", effective_from=date(2026, 1, 1), parameters=SHARE, actor=analyst
    )
    assert rule_set.parameters == rule_parameters_with_defaults({"max_local_budget_share": 0.3})
    assert (rule_set.parameters["report_period_months"], rule_set.parameters["overdue_to_broken_days"]) == (
        6,
        90,
    )
    assert rule_set.created_by == analyst
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.action == "programs.rule_set_publish" and event.data["version"] == "2026-1"


@pytest.mark.django_db
def test_a_published_version_is_never_replaced() -> None:
    rule_set_publish(version="2026-1", effective_from=date(2026, 1, 1), parameters=SHARE)
    with pytest.raises(ApplicationError, match="never changed"):
        rule_set_publish(
            version="2026-1", effective_from=date(2026, 6, 1), parameters={"max_local_budget_share": 0.5}
        )
    assert RuleSet.objects.get().parameters["max_local_budget_share"] == 0.3


@pytest.mark.django_db
def test_a_new_version_cannot_take_effect_before_the_newest_one() -> None:
    rule_set_publish(version="2026-1", effective_from=date(2026, 1, 1), parameters=SHARE)
    with pytest.raises(ApplicationError, match="2026-1"):
        rule_set_publish(version="2025-9", effective_from=date(2025, 12, 31), parameters=SHARE)
    assert RuleSet.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "parameters",
    [
        {},
        {"max_local_budget_share": 1.2},
        {"max_local_budget_share": -0.1},
        {"max_local_budget_share": "0.3"},
        {"max_local_budget_share": 0.3, "report_period_months": 0},
        {"max_local_budget_share": 0.3, "overdue_to_broken_days": 1.5},
        {"max_local_budget_share": 0.3, "max_local_share": 0.2},
    ],
)
def test_parameters_out_of_range_or_unknown_are_refused(parameters) -> None:
    with pytest.raises(ApplicationError):
        rule_set_publish(version="bad", effective_from=date(2026, 1, 1), parameters=parameters)
    assert not RuleSet.objects.exists()


@pytest.mark.django_db
def test_the_rule_set_in_force_is_the_newest_whose_date_has_come() -> None:
    rule_set_publish(version="A", effective_from=date(2026, 1, 1), parameters=SHARE)
    rule_set_publish(version="B", effective_from=date(2027, 1, 1), parameters=SHARE)
    rule_set_publish(version="C", effective_from=date(2027, 1, 1), parameters=SHARE)
    assert rule_set_in_force(date(2025, 12, 31)) is None
    assert rule_set_in_force(date(2026, 1, 1)).version == "A"
    assert rule_set_in_force(date(2026, 12, 31)).version == "A"
    assert rule_set_in_force(date(2027, 1, 1)).version == "C"


# --- Pages ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_public_page_shows_the_rule_set_in_force_and_the_history(client) -> None:
    rule_set_publish(version="2026-1", effective_from=date(2026, 1, 1), parameters=SHARE, note="First rules.")
    rule_set_publish(
        version="2099-1", effective_from=date(2099, 1, 1), parameters={"max_local_budget_share": 0.2}
    )
    response = client.get(reverse("programs:rule_sets"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="version-in-force">2026-1<' in html
    assert "2099-1" in html and "30%" in html
    assert "Publish a new version" not in html


@pytest.mark.django_db
def test_the_public_page_offers_publishing_to_a_nationwide_analyst(client, make_user) -> None:
    client.force_login(make_user(Role.ANALYST))
    assert "Publish a new version" in client.get(reverse("programs:rule_sets")).content.decode()


@pytest.mark.django_db
def test_the_public_page_runs_a_fixed_number_of_queries(client) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("programs:rule_sets")).status_code == 200
        return len(queries)

    rule_set_publish(version="v1", effective_from=date(2020, 1, 1), parameters=SHARE)
    few = count()
    for number in range(2, 40):
        rule_set_publish(
            version=f"v{number}", effective_from=date(2020, 1, 1) + timedelta(days=number), parameters=SHARE
        )
    assert count() == few


@pytest.mark.django_db
def test_only_nationwide_analysts_and_administrators_may_open_the_publishing_page(
    client, make_user, unit_a
) -> None:
    url = reverse("programs:rule_set_new")
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    region = unit_a.parent.parent
    for role, territory, status in [
        (Role.AKIM, unit_a, 403),
        (Role.RESIDENT, unit_a, 403),
        (Role.ANALYST, region, 403),
        (Role.ANALYST, None, 200),
        (Role.ADMINISTRATOR, None, 200),
    ]:
        client.force_login(make_user(role, territory))
        assert client.get(url).status_code == status, role


@pytest.mark.django_db
def test_an_analyst_publishes_through_the_form(client, make_user) -> None:
    client.force_login(make_user(Role.ANALYST))
    response = client.post(
        reverse("programs:rule_set_new"),
        {
            "version": "2027-1",
            "effective_from": "2027-01-01",
            "max_local_budget_share": "0.25",
            "report_period_months": "3",
            "overdue_to_broken_days": "60",
            "note": "Quarterly reports.",
        },
    )
    assert response.status_code == 302
    rule_set = RuleSet.objects.get(version="2027-1")
    assert rule_set.parameters == rule_parameters_with_defaults(
        {"max_local_budget_share": 0.25, "report_period_months": 3, "overdue_to_broken_days": 60}
    )


@pytest.mark.django_db
def test_bad_form_input_is_a_400_with_field_errors(client, make_user) -> None:
    client.force_login(make_user(Role.ANALYST))
    response = client.post(
        reverse("programs:rule_set_new"),
        {
            "version": "a b",
            "effective_from": "soon",
            "max_local_budget_share": "2",
            "report_period_months": "6",
            "overdue_to_broken_days": "90",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"version", "effective_from", "max_local_budget_share"}
    assert not RuleSet.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_version_through_the_form_is_a_400_with_the_reason(client, make_user) -> None:
    rule_set_publish(version="2027-1", effective_from=date(2027, 1, 1), parameters=SHARE)
    client.force_login(make_user(Role.ANALYST))
    response = client.post(
        reverse("programs:rule_set_new"),
        {
            "version": "2027-1",
            "effective_from": "2027-02-01",
            "max_local_budget_share": "0.2",
            "report_period_months": "6",
            "overdue_to_broken_days": "90",
        },
    )
    assert response.status_code == 400
    assert "never changed" in response.content.decode()


@pytest.mark.django_db
def test_the_form_sets_the_recall_parameters_too(client, make_user) -> None:
    client.force_login(make_user(Role.ANALYST))
    response = client.post(
        reverse("programs:rule_set_new"),
        {
            "version": "2027-2",
            "effective_from": "2027-02-01",
            "max_local_budget_share": "0.3",
            "report_period_months": "6",
            "overdue_to_broken_days": "90",
            "recall_signature_share": "0.15",
            "recall_signing_days": "45",
        },
    )
    assert response.status_code == 302
    parameters = RuleSet.objects.get(version="2027-2").parameters
    assert (parameters["recall_signature_share"], parameters["recall_signing_days"]) == (0.15, 45)
    assert parameters["recall_min_group"] == 10  # left empty: the default
    bad = client.post(reverse("programs:rule_set_new"), {"version": "2027-3", "recall_signature_share": "2"})
    assert bad.status_code == 400 and "recall_signature_share" in bad.context["form"].errors
