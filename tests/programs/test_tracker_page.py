"""The public promise tracker of a unit's sitting akim: seven status groups, overdue markers, timelines,
and a query count that does not grow with the promises."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esep.programs.models import PromiseStatus
from esep.programs.services import promise_record_update
from tests.programs.factories import promise_draft, published_program

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def record(program, number: str, status: str, progress: int, narrative: str, **extra) -> None:
    promise_record_update(
        promise=program.promises.get(local_id=number),
        status=status,
        progress=progress,
        spent_kzt=None,
        narrative=narrative,
        actor=None,
        source="akimat's update",
        **extra,
    )


@pytest.mark.django_db
def test_promises_are_grouped_by_the_seven_statuses_in_order(client, akim_a, unit_a) -> None:
    program = published_program(akim_a, promises=4)
    record(program, "P2", "in_progress", 30, "Work began.", evidence_note="Contract no. 7")
    record(program, "P3", "kept", 100, "Street repaired.")
    record(program, "P4", "broken", 10, "Money withdrawn.", reason="The district withdrew the money.")
    page = client.get(f"/programs/unit/{unit_a.kato}/", **EN).content.decode()
    headings = [page.index(f'id="status-{status}-title"') for status in PromiseStatus.values]
    assert headings == sorted(headings)
    groups = {status: page[page.index(f'id="status-{status}"') :] for status in PromiseStatus.values}
    assert groups["not_rated"].index('id="promise-P1"') < groups["not_rated"].index('id="status-in_progress"')
    assert 'id="promise-P2"' in groups["in_progress"].split('id="status-stalled"')[0]
    assert 'id="promise-P4"' in groups["broken"].split('id="status-dropped"')[0]
    assert "The district withdrew the money." in page
    assert "Work began." in page and "Contract no. 7" in page
    assert '<progress max="100" value="30"' in page
    assert "style=" not in page.split("<main")[1]  # the CSP forbids inline styles


@pytest.mark.django_db
def test_an_open_promise_past_its_deadline_is_marked_overdue(client, akim_a, unit_a) -> None:
    today = timezone.localdate()
    program = published_program(
        akim_a,
        promises=[
            promise_draft(1, deadline=today - timedelta(days=5)),
            promise_draft(2, deadline=today - timedelta(days=5)),
            promise_draft(3, deadline=today + timedelta(days=5)),
        ],
    )
    record(program, "P2", "kept", 100, "Done on time.")
    page = client.get(f"/programs/unit/{unit_a.kato}/", **EN).content.decode()
    assert page.count('data-testid="overdue"') == 1
    card = page[page.index('id="promise-P1"') :]
    assert "is-overdue" in page[page.index('id="promise-P1"') - 60 : page.index('id="promise-P1"')]
    assert card.index('data-testid="overdue"') < card.index("</article>")
    assert '<span class="value" data-testid="overdue-count">1</span>' in page


@pytest.mark.django_db
def test_the_tracker_says_when_there_is_no_program_or_no_akim(client, unit_a, akim_a) -> None:
    page = client.get(f"/programs/unit/{unit_a.kato}/", **EN).content.decode()
    assert 'data-testid="no-program"' in page
    assert client.get(f"/programs/unit/{unit_a.children.first().kato}/").status_code == 404
    assert client.get("/programs/unit/103200000/").status_code == 404  # a district


@pytest.mark.parametrize("promises", [5, 15])
@pytest.mark.django_db
def test_the_tracker_runs_a_fixed_number_of_queries(client, akim_a, unit_a, promises) -> None:
    program = published_program(akim_a, promises=promises)
    for number in range(1, promises + 1, 2):
        record(program, f"P{number}", "in_progress", 20, "Started.")
        record(program, f"P{number}", "in_progress", 60, "Half done.")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/programs/unit/{unit_a.kato}/")
    assert response.status_code == 200
    assert response.content.decode().count("<article") == promises
    # unit, mandate, program, versions, promises, their funding lines, events, candidates' programs
    assert len(queries) == 8


@pytest.mark.parametrize("promises", [5, 15])
@pytest.mark.django_db
def test_the_program_page_runs_a_fixed_number_of_queries(client, akim_a, promises) -> None:
    program = published_program(akim_a, promises=promises)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/programs/{program.pk}/").status_code == 200
    # access check, the version with its unit and candidate, promises, funding lines, versions, mandate
    assert len(queries) == 6


@pytest.mark.parametrize("units", [1, 3])
@pytest.mark.django_db
def test_the_summary_pages_run_a_fixed_number_of_queries(client, reference, unit_a, unit_a2, units) -> None:
    from tests.elections.factories import make_sitting_akim

    for unit in [unit_a, unit_a2][: min(units, 2)]:
        published_program(make_sitting_akim(unit), promises=units * 2)
    counts = []
    for url in (
        "/programs/summary/",
        f"/programs/summary/{unit_a.region_code}/",
        f"/programs/summary/{unit_a.district_code}/",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == [3, 4, 3]
