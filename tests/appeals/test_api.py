"""The JSON API under /api/v1/appeals: the same rules as the pages, errors as JSON bodies."""

import json
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from esep.appeals.models import Appeal, Status

API = "/api/v1/appeals"


def post(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_resident_submits_and_follows_a_request(client, resident, unit_a) -> None:
    client.force_login(resident)
    response = post(client, API, {"unit": unit_a.kato, "category": "water", "text": "Нет воды"})
    assert response.status_code == 201
    created = response.json()
    assert (
        created["status"] == "registered"
        and created["unit"] == unit_a.kato
        and created["category"] == "water"
    )
    mine = client.get(f"{API}/mine").json()
    assert mine["count"] == 1 and mine["items"][0]["number"] == created["number"]
    detail = client.get(f"{API}/{created['number']}").json()
    assert [event["kind"] for event in detail["history"]] == ["registered"]


def test_anonymous_and_bad_input_get_json_errors(client, resident, unit_a) -> None:
    response = post(client, API, {"unit": unit_a.kato, "category": "water", "text": "x"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
    client.force_login(resident)
    response = post(client, API, {"unit": "12", "category": "water", "text": ""})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_input"
    response = post(
        client, API, {"unit": unit_a.kato, "category": "water", "text": "x", "latitude": 10, "longitude": 10}
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_location"


def test_staff_work_the_inbox_through_the_api(client, make_appeal, staff, resident) -> None:
    appeal = make_appeal("public_order")
    other = make_appeal()
    client.force_login(staff)
    inbox = client.get(f"{API}/inbox").json()
    assert {item["number"] for item in inbox["items"]} == {appeal.number, other.number}
    forwarded = post(client, f"{API}/{appeal.number}/forward", {"body": "police", "reason": "Police matter"})
    assert forwarded.status_code == 200 and forwarded.json()["status"] == "forwarded"
    new_deadline = (other.deadline + timedelta(days=10)).isoformat()
    extended = post(
        client,
        f"{API}/{other.number}/extend",
        {"new_deadline": new_deadline, "reason": "Waiting for the district."},
    )
    assert extended.json()["extended_deadline"] == new_deadline
    again = post(
        client,
        f"{API}/{other.number}/extend",
        {"new_deadline": new_deadline, "reason": "Waiting for the district."},
    )
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_extended"
    answered = post(client, f"{API}/{other.number}/answer", {"answer": "Done"})
    assert answered.json()["status"] == "answered"
    client.force_login(resident)
    closed = post(client, f"{API}/{other.number}/close", {"verdict": "disputed", "note": "Not done"})
    assert closed.json()["status"] == "closed" and closed.json()["verdict"] == "disputed"


def test_residents_and_other_units_get_403_or_404(client, make_appeal, resident, other_staff) -> None:
    appeal = make_appeal()
    client.force_login(resident)
    assert post(client, f"{API}/{appeal.number}/answer", {"answer": "x"}).status_code == 403
    client.force_login(other_staff)
    response = post(client, f"{API}/{appeal.number}/answer", {"answer": "x"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert Appeal.private_objects.get(pk=appeal.pk).status == Status.REGISTERED


def test_bulk_assign_through_the_api(client, make_appeal, staff, akim) -> None:
    appeals = [make_appeal(), make_appeal()]
    client.force_login(akim)
    response = post(
        client, f"{API}/assign", {"numbers": [a.number for a in appeals], "assignee": staff.username}
    )
    assert response.json() == {"assigned": 2}
    assert (
        post(client, f"{API}/assign", {"numbers": ["AP-1-1"], "assignee": staff.username}).status_code == 404
    )


def test_the_inbox_query_count_does_not_grow(client, make_appeal, staff) -> None:
    make_appeal()
    client.force_login(staff)
    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/inbox")
    for _ in range(8):
        make_appeal()
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"{API}/inbox").json()["count"] == 9
    assert len(many) == len(few)


def test_figures_and_categories_are_public(client, make_appeal, unit_a) -> None:
    make_appeal(now=None)
    figures = client.get(f"{API}/figures", {"kato": unit_a.district_code}).json()
    assert figures["registered"] == 1 and figures["scope"] == unit_a.district_code
    assert client.get(f"{API}/figures", {"kato": "999999999"}).status_code == 404
    categories = client.get(f"{API}/categories").json()
    assert {"roads", "public_order", "health"} <= {c["code"] for c in categories}
    assert date.fromisoformat(figures["since"]).day == 1
