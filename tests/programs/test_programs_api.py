"""GET /programs, /programs/{id}, /promises, /promises/{id}, and POST /programs/{id}/publish."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esep.programs.models import ProgramStatus
from esep.programs.services import program_amend, promise_record_update
from tests.elections.factories import make_sitting_akim
from tests.programs.factories import draft_program, failing_draft, promise_draft, published_program


@pytest.fixture
def two_units(akim_a, unit_b):
    today = timezone.localdate()
    a = published_program(
        akim_a,
        promises=[
            promise_draft(1, deadline=today - timedelta(days=3)),
            promise_draft(2, sector="landscaping", power="landscaping.lighting"),
            promise_draft(3),
        ],
    )
    b = published_program(make_sitting_akim(unit_b), promises=2)
    promise_record_update(
        promise=a.promises.get(local_id="P3"),
        status="kept",
        progress=100,
        spent_kzt=900_000,
        narrative="Done.",
        evidence_note="Act no. 3",
        actor=None,
        source="report",
    )
    return a, b


@pytest.mark.django_db
def test_publishing_through_the_api_is_refused_while_errors_remain(client, owner, akim_a) -> None:
    program = draft_program(akim_a, promises=[promise_draft(1), failing_draft(2)])
    client.force_login(owner)
    response = client.post(f"/api/v1/programs/{program.pk}/publish")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "check_failed" and error["rule_set"] == "T-1"
    assert [(f["code"], f["promise"]) for f in error["findings"] if f["severity"] == "error"] == [
        ("FUNDING_MISSING", "P2")
    ]
    program.refresh_from_db()
    assert program.status == ProgramStatus.DRAFT


@pytest.mark.django_db
def test_publishing_through_the_api_succeeds_for_a_clean_draft(client, colleague, akim_a) -> None:
    program = draft_program(akim_a, promises=2)
    client.force_login(colleague)
    response = client.post(f"/api/v1/programs/{program.pk}/publish")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["is_commitment"], body["rule_set_version"]) == ("published", True, "T-1")


@pytest.mark.django_db
def test_only_those_who_may_draft_publish_through_the_api(client, neighbour, outsider, akim_a) -> None:
    program = draft_program(akim_a, promises=1)
    assert client.post(f"/api/v1/programs/{program.pk}/publish").status_code == 401
    for user in (neighbour, outsider):
        client.force_login(user)
        assert client.post(f"/api/v1/programs/{program.pk}/publish").json()["error"]["code"] == "not_found"
    program.refresh_from_db()
    assert program.status == ProgramStatus.DRAFT
    assert client.post("/api/v1/programs/999999/publish").status_code == 404


@pytest.mark.django_db
def test_the_program_list_never_shows_drafts_and_filters_by_territory_and_status(
    client, two_units, unit_a
) -> None:
    a, _b = two_units
    program_amend(program=a, reason="More.", actor=None)
    body = client.get("/api/v1/programs").json()
    assert body["count"] == 2 and {item["status"] for item in body["items"]} == {"published"}
    only_a = client.get(f"/api/v1/programs?territory={unit_a.region_code}").json()["items"]
    assert [(item["unit"], item["version"], item["is_commitment"]) for item in only_a] == [
        (unit_a.kato, 1, True)
    ]
    assert client.get("/api/v1/programs?status=superseded").json()["count"] == 0
    assert client.get("/api/v1/programs?status=draft").status_code == 400
    assert client.get("/api/v1/programs?territory=000000000").status_code == 404


@pytest.mark.django_db
def test_a_draft_is_readable_through_the_api_by_its_authors_only(client, owner, outsider, akim_a) -> None:
    program = draft_program(akim_a, promises=2)
    assert client.get(f"/api/v1/programs/{program.pk}").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/api/v1/programs/{program.pk}").status_code == 404
    client.force_login(owner)
    body = client.get(f"/api/v1/programs/{program.pk}").json()
    assert [p["number"] for p in body["promises"]] == ["P1", "P2"]
    assert body["promises"][0]["funding"][0]["source"] == "local_budget"


@pytest.mark.django_db
def test_promises_filter_by_territory_status_sector_and_overdue(client, two_units, unit_a, unit_b) -> None:
    def numbers(query: str) -> list[tuple[str, str]]:
        return [(p["unit"], p["number"]) for p in client.get(f"/api/v1/promises?{query}").json()["items"]]

    assert len(numbers("")) == 5
    assert numbers(f"territory={unit_b.kato}") == [(unit_b.kato, "P1"), (unit_b.kato, "P2")]
    assert numbers("status=kept") == [(unit_a.kato, "P3")]
    assert numbers("sector=landscaping") == [(unit_a.kato, "P2")]
    assert numbers("overdue=true") == [(unit_a.kato, "P1")]
    assert len(numbers("overdue=false")) == 4
    assert client.get("/api/v1/promises?status=done").status_code == 400
    assert client.get("/api/v1/promises?sector=nowhere").status_code == 400


@pytest.mark.django_db
def test_a_promise_comes_with_its_timeline(client, two_units) -> None:
    a, _b = two_units
    promise = a.promises.get(local_id="P3")
    body = client.get(f"/api/v1/promises/{promise.pk}").json()
    assert (body["status"], body["progress"], body["spent_kzt"], body["overdue"]) == (
        "kept",
        100,
        900_000,
        False,
    )
    assert [(e["old_status"], e["new_status"], e["evidence_note"]) for e in body["events"]] == [
        ("not_rated", "kept", "Act no. 3")
    ]
    draft = program_amend(program=a, reason="More.", actor=None)
    assert client.get(f"/api/v1/promises/{draft.promises.first().pk}").status_code == 404


@pytest.mark.parametrize("extra", [0, 4])
@pytest.mark.django_db
def test_the_promise_list_runs_a_fixed_number_of_queries(client, akim_a, extra) -> None:
    published_program(akim_a, promises=2 + extra)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/promises").status_code == 200
    assert len(queries) == 3  # count, page, funding lines
