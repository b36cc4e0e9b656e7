"""Recall under /api/v1/recall: public lists, details and counts (never an IIN or a signer), signing and
withdrawing for a signed-in voter, JSON errors with the refusal's code, pagination with fixed queries."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esep.recall import services
from esep.recall.models import Initiative
from tests.recall.factories import collecting_initiative, filed_initiative, register_resident

pytestmark = pytest.mark.django_db
API = "/api/v1/recall"


@pytest.fixture
def initiative(unit, residents, commission) -> Initiative:
    return collecting_initiative(unit, residents, commission)


def post(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_list_and_detail_show_public_fields_only(client, initiative, akim_user, unit, make_user) -> None:
    services.initiative_answer(initiative=initiative, text="Отвечаю.", actor=akim_user)
    iin = register_resident(unit.kato)
    services.signature_sign(initiative=initiative, iin=iin, signer=make_user())
    listing = client.get(f"{API}/initiatives", {"kato": unit.region_code, "state": "active"}).json()
    assert listing["count"] == 1
    row = listing["items"][0]
    assert (row["id"], row["unit"], row["state"], row["signatures"], row["signatures_required"]) == (
        initiative.pk,
        unit.kato,
        "collecting",
        1,
        10,
    )
    detail = client.get(f"{API}/initiatives/{initiative.pk}").json()
    assert detail["akim_answer"] == "Отвечаю." and detail["group_size"] == 10
    assert [event["to_state"] for event in detail["timeline"]] == ["filed", "registered", "collecting"]
    assert detail["evidence"][0]["kind"] == "appeal"
    body = json.dumps(detail) + json.dumps(listing)
    assert iin not in body and iin[:2] + "********" not in body and "signer" not in body


def test_counts_and_the_live_count(client, initiative, unit) -> None:
    count = client.get(f"{API}/initiatives/{initiative.pk}/count").json()
    assert count == {
        "id": initiative.pk,
        "state": "collecting",
        "signatures": 0,
        "signatures_required": 10,
        "certified": False,
        "signing_opens_on": initiative.signing_opens_on.isoformat(),
        "signing_closes_on": initiative.signing_closes_on.isoformat(),
        "days_left": 30,
    }
    assert client.get(f"{API}/counts", {"kato": unit.district_code}).json()["collecting"] == 1
    assert client.get(f"{API}/counts", {"kato": "999999999"}).json()["error"]["code"] == "not_found"


def test_bad_filters_and_unknown_initiatives_are_json_errors(client) -> None:
    assert client.get(f"{API}/initiatives", {"state": "nope"}).json()["error"]["code"] == "invalid_input"
    missing = client.get(f"{API}/initiatives/999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_the_list_query_count_does_not_grow(client, unit, residents) -> None:
    services.initiative_withdraw(initiative=filed_initiative(unit, residents[:1]), actor=residents[0])
    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/initiatives")
    for _n in range(3):
        services.initiative_withdraw(initiative=filed_initiative(unit, residents[:1]), actor=residents[0])
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"{API}/initiatives").json()["count"] == 4
    assert len(many) == len(few)


def test_a_voter_signs_and_withdraws_through_the_api(client, initiative, unit, make_user) -> None:
    url = f"{API}/initiatives/{initiative.pk}/signatures"
    assert post(client, url, {"iin": "1"}).status_code == 401
    client.force_login(make_user())
    refused = post(client, url, {"iin": register_resident("113630000")})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "not_resident"
    iin = register_resident(unit.kato)
    signed = post(client, url, {"iin": iin})
    assert signed.status_code == 201
    assert signed.json()["count"]["signatures"] == 1 and signed.json()["iin_masked"].startswith(iin[:2] + "*")
    again = post(client, url, {"iin": iin})
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_signed"
    withdrawn = post(client, f"{url}/withdraw", {})
    assert withdrawn.status_code == 200 and withdrawn.json()["count"]["signatures"] == 0


def test_api_signing_is_rate_limited(client, initiative, settings, make_user) -> None:
    settings.ESEP_RATE_LIMITS = True
    client.force_login(make_user())
    url = f"{API}/initiatives/{initiative.pk}/signatures"
    codes = [post(client, url, {"iin": "1"}).status_code for _n in range(11)]
    assert codes[:10] == [400] * 10 and codes[10] == 429
