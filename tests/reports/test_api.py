"""The reports API: published reports with filters, one report in full, its updates, the ratings summary,
timeliness and the overdue list; drafts are never shown, hidden questions have no text."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esep.core.models import Role
from esep.reports.services import question_ask, question_hide, report_rate, report_start
from esep.reports.stats import stats_rebuild
from tests.reports.factories import akim_with_program, published_report


@pytest.fixture
def report(mandate, akim):
    return published_report(mandate, actor=akim)


@pytest.mark.django_db
def test_the_list_shows_published_reports_and_filters_by_territory_and_mandate(
    client, report, unit_a, unit_b
) -> None:
    other = akim_with_program(unit_b, due_in_days=3)
    report_start(mandate=other, actor=None)  # a draft: never listed
    body = client.get("/api/v1/reports").json()
    assert [item["id"] for item in body["items"]] == [report.pk]
    assert body["items"][0]["unit"] == unit_a.kato and body["items"][0]["days_late"] == 0
    assert client.get(f"/api/v1/reports?territory={unit_b.region_code}").json()["count"] == 0
    assert client.get(f"/api/v1/reports?territory={unit_a.district_code}").json()["count"] == 1
    assert client.get(f"/api/v1/reports?mandate={other.pk}").json()["count"] == 0
    assert client.get("/api/v1/reports?territory=999999999").status_code == 404
    assert client.get("/api/v1/reports?territory=12").status_code == 400


@pytest.mark.django_db
def test_one_report_in_full_without_hidden_text(client, report, resident, supervisor) -> None:
    question = question_ask(report=report, user=resident, text="Оскорбление в адрес соседа.")
    question_hide(question=question, reason="оскорбление", actor=supervisor)
    body = client.get(f"/api/v1/reports/{report.pk}").json()
    assert body["meeting_place"] == "Дом культуры, ул. Абая 12" and len(body["budget"]) == 4
    assert [update["number"] for update in body["updates"]] == ["P1", "P2", "P3"]
    assert body["updates"][0]["no_change"] is True and body["updates"][0]["status"] == "not_rated"
    assert body["questions"] == [
        {
            "id": question.pk,
            "asked_at": body["questions"][0]["asked_at"],
            "text": None,
            "hidden_reason": "оскорбление",
            "answer": None,
            "answered_at": None,
        }
    ]


@pytest.mark.django_db
def test_a_draft_is_not_found(client, mandate) -> None:
    draft = report_start(mandate=mandate, actor=None)
    for url in (
        f"/api/v1/reports/{draft.pk}",
        f"/api/v1/reports/{draft.pk}/updates",
        f"/api/v1/reports/{draft.pk}/ratings",
    ):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_updates_and_the_ratings_summary(client, report, resident, make_user, unit_a) -> None:
    report_rate(report=report, user=resident, stars=5)
    report_rate(report=report, user=make_user(Role.RESIDENT, unit_a), stars=3)
    updates = client.get(f"/api/v1/reports/{report.pk}/updates").json()
    assert updates["count"] == 3 and updates["items"][1]["status"] == "in_progress"
    ratings = client.get(f"/api/v1/reports/{report.pk}/ratings").json()
    assert ratings == {
        "report": report.pk,
        "count": 2,
        "average": 4.0,
        "by_stars": {"5": 1, "4": 0, "3": 1, "2": 0, "1": 0},
    }


@pytest.mark.django_db
def test_timeliness_and_the_overdue_list(client, reference, unit_a, unit_a2, unit_b) -> None:
    published_report(akim_with_program(unit_a, due_in_days=2))
    akim_with_program(unit_a2, due_in_days=-15)
    akim_with_program(unit_b, due_in_days=-5)
    stats_rebuild([unit_a.pk, unit_a2.pk, unit_b.pk], today=timezone.localdate())
    overdue = client.get("/api/v1/reports/overdue").json()
    assert [(row["unit"], row["days_overdue"]) for row in overdue["items"]] == [
        (unit_a2.kato, 15),
        (unit_b.kato, 5),
    ]
    district = client.get(f"/api/v1/reports/timeliness?territory={unit_a.district_code}").json()
    assert (district["units"], district["units_overdue"], district["on_time"], district["reports_due"]) == (
        2,
        1,
        1,
        2,
    )
    assert district["on_time_share"] == 0.5


@pytest.mark.django_db
def test_list_query_counts_do_not_grow(client, reference, unit_a, unit_a2, unit_b) -> None:
    published_report(akim_with_program(unit_a, due_in_days=2))
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/reports")
    published_report(akim_with_program(unit_a2, due_in_days=2))
    published_report(akim_with_program(unit_b, due_in_days=2))
    with CaptureQueriesContext(connection) as three:
        assert client.get("/api/v1/reports").json()["count"] == 3
    assert len(one) == len(three)
