"""The public pages: the report (printable), the akim's history with overdue in red, the residents' rating,
verdicts and questions through htmx, moderation, the Atom feed; query counts fixed."""

from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esep.core.models import Role
from esep.reports.models import Report
from esep.reports.services import question_ask, report_add_erratum, report_rate
from tests.reports.factories import akim_with_program, published_report

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def report(mandate, akim) -> Report:
    return published_report(mandate, actor=akim)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_report_page_is_public_and_printable(client, report) -> None:
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Report 1 of the akim of" in page and "Дом культуры" in page
    assert 'media="print"' in page and "print-only" in page
    assert page.count('class="promise report-update"') == 3
    assert "Total revenues" in page and "51 500 000" in page  # 11.5 + 40 million executed


@pytest.mark.django_db
def test_the_report_page_query_count_does_not_grow_with_promises(
    client, reference, unit_a, unit_a2, make_user
) -> None:
    few = published_report(akim_with_program(unit_a, promises=3))
    many = published_report(akim_with_program(unit_a2, promises=12))
    assert queries(client, f"/reports/{few.pk}/") == queries(client, f"/reports/{many.pk}/")
    resident = make_user(Role.RESIDENT, unit_a)
    client.force_login(resident)
    assert queries(client, f"/reports/{few.pk}/") <= 20


@pytest.mark.django_db
def test_a_resident_rates_through_htmx_and_sees_the_new_average(client, report, resident) -> None:
    client.force_login(resident)
    response = client.post(f"/reports/{report.pk}/rate/", {"stars": "4"}, **HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.startswith('<section id="rating"') and "4.0" in fragment and "Your rating: 4" in fragment
    assert client.post(f"/reports/{report.pk}/rate/", {"stars": "9"}, **HTMX).status_code == 400


@pytest.mark.django_db
def test_a_resident_of_another_unit_reads_but_cannot_rate(client, report, other_resident) -> None:
    client.force_login(other_resident)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Only residents of this unit rate" in page and 'name="stars"' not in page
    assert client.post(f"/reports/{report.pk}/rate/", {"stars": "1"}).status_code == 403
    report.refresh_from_db()
    assert report.rating_count == 0


@pytest.mark.django_db
def test_a_resident_disagrees_with_an_update(client, report, resident) -> None:
    update = report.updates.order_by("pk").last()
    client.force_login(resident)
    response = client.post(f"/reports/update/{update.pk}/verdict/", {"verdict": "disagree"}, **HTMX)
    assert response.status_code == 200
    assert "0 agree, 1 disagree" in response.content.decode()
    assert 'value="disagree" aria-pressed="true"' in response.content.decode()
    no_js = client.post(f"/reports/update/{update.pk}/verdict/", {"verdict": "agree"})
    assert no_js.status_code == 302 and no_js["Location"].endswith(f"#update-{update.promise.local_id}")


@pytest.mark.django_db
def test_questions_are_asked_answered_and_hidden_with_a_visible_reason(
    client, report, resident, akim, supervisor
) -> None:
    client.force_login(resident)
    response = client.post(
        f"/reports/{report.pk}/ask/", {"text": "Когда будет свет на улице Школьной?"}, **HTMX
    )
    assert response.status_code == 200 and "Когда будет свет" in response.content.decode()
    question = report.questions.get()
    client.force_login(akim)
    client.post(f"/reports/question/{question.pk}/answer/", {"text": "До конца года."})
    client.force_login(supervisor)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "До конца года." in page and "Reason for hiding" in page
    client.post(f"/reports/question/{question.pk}/hide/", {"reason": "личные данные соседа"})
    client.logout()
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "hidden by moderator: личные данные соседа" in page and "Когда будет свет" not in page


@pytest.mark.django_db
def test_only_moderators_reach_the_moderation_page_and_hide(
    client, report, resident, staff, supervisor
) -> None:
    question = question_ask(report=report, user=resident, text="Вопрос о школьном автобусе.")
    client.force_login(staff)
    assert client.get("/reports/moderation/").status_code == 403
    assert client.post(f"/reports/question/{question.pk}/hide/", {"reason": "нет"}).status_code == 403
    client.force_login(supervisor)
    page = client.get("/reports/moderation/").content.decode()
    assert "Вопрос о школьном автобусе." in page


@pytest.mark.django_db
def test_the_history_page_shows_overdue_periods_in_red(client, reference, unit_a2) -> None:
    akim_with_program(unit_a2, due_in_days=-20)
    page = client.get(f"/reports/unit/{unit_a2.kato}/").content.decode()
    assert 'class="overdue-row" data-state="overdue"' in page and "overdue by 20 days" in page


@pytest.mark.django_db
def test_the_history_page_shows_the_average_rating(client, report, resident, make_user, unit_a) -> None:
    report_rate(report=report, user=resident, stars=5)
    report_rate(report=report, user=make_user(Role.RESIDENT, unit_a), stars=2)
    page = client.get(f"/reports/unit/{unit_a.kato}/").content.decode()
    assert 'data-testid="average-rating">3.5<' in page
    assert 'data-testid="unit-average-rating">3.5<' in client.get(f"/t/{unit_a.kato}/").content.decode()


@pytest.mark.django_db
def test_the_atom_feed_lists_published_reports_with_their_errata(client, report, akim) -> None:
    report_add_erratum(report=report, text="Уточнена сумма расходов на освещение.", actor=akim)
    response = client.get(f"/reports/feed/{report.rural_unit.kato}/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 1
    assert entries[0].find("a:link", ns).get("href").endswith(f"/reports/{report.pk}/")
    assert "Уточнена сумма" in entries[0].find("a:summary", ns).text
    assert client.get("/reports/feed/103230001/").status_code == 404  # a settlement


@pytest.mark.django_db
def test_subscribing_and_leaving(client, report, resident, unit_a) -> None:
    from esep.reports.models import Subscription

    client.force_login(resident)
    client.post(f"/reports/unit/{unit_a.kato}/subscribe/", {"subscribe": "1"})
    assert Subscription.objects.filter(user=resident, unit=unit_a).exists()
    client.post(f"/reports/unit/{unit_a.kato}/subscribe/", {"subscribe": "0"})
    assert not Subscription.objects.exists()


@pytest.mark.django_db
def test_notifications_page_lists_and_marks_read(client, report, resident, akim) -> None:
    question_ask(report=report, user=resident, text="Где смета на ремонт клуба?")
    client.force_login(akim)
    page = client.get("/reports/notifications/").content.decode()
    assert "A resident asked a question on a report" in page and 'class="unread"' in page
    client.post("/reports/notifications/")
    assert 'class="unread"' not in client.get("/reports/notifications/").content.decode()
