"""/api/v1/powers/analysis and the proposals API: the same analysis and services, JSON errors, access."""

import json

import pytest

from esep.powers.models import DuplicatePairReview, Proposal

from .conftest import LIGHTING_PAIR


def post(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_the_analysis_is_open_data_with_its_evidence(client, requests_made) -> None:
    body = client.get("/api/v1/powers/analysis", {"min_volume_share": 0.1}).json()
    assert [pair["key"] for pair in body["duplicates"]][0] == f"duplicate:{'|'.join(LIGHTING_PAIR)}"
    assert body["duplicates"][0]["first"]["text_kk"].startswith("Аудан орталығында")
    assert [item["category"] for item in body["missing"]] == ["land", "public_order"]
    assert body["missing"][0]["by_region"][0]["registered"] == 5
    assert body["requests"] == {"registered": 19, "forwarded": 9}


@pytest.mark.django_db
def test_parameters_out_of_range_are_a_json_400(client, catalogue) -> None:
    response = client.get("/api/v1/powers/analysis", {"threshold": 7})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_input"


@pytest.mark.django_db
def test_an_analyst_reviews_proposes_and_decides_through_the_api(client, analyst, requests_made) -> None:
    client.force_login(analyst)
    review = post(
        client,
        "/api/v1/powers/duplicates/review",
        {"first": LIGHTING_PAIR[1], "second": LIGHTING_PAIR[0], "verdict": "confirmed"},
    )
    assert review.status_code == 200 and review.json()["first_code"] == LIGHTING_PAIR[0]
    made = post(
        client,
        "/api/v1/powers/proposals",
        {"finding": "missing:land", "kind": "add", "rationale": "Small plots."},
    )
    assert made.status_code == 200, made.content
    proposal = made.json()
    assert proposal["target_level"] == "rural" and proposal["evidence"]["forwarded"] == 6
    listed = client.get("/api/v1/powers/proposals").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == proposal["id"]
    decided = post(
        client, f"/api/v1/powers/proposals/{proposal['id']}/decide", {"accept": True, "comment": "Yes"}
    )
    assert decided.json()["status"] == "accepted"
    again = post(
        client, f"/api/v1/powers/proposals/{proposal['id']}/decide", {"accept": False, "comment": "No"}
    )
    assert again.status_code == 400 and again.json()["error"]["code"] == "decided"


@pytest.mark.django_db
def test_a_broken_rule_is_a_json_400(client, analyst, catalogue) -> None:
    client.force_login(analyst)
    response = post(
        client,
        "/api/v1/powers/proposals",
        {"finding": "duplicate:x.y|z.w", "kind": "exclude", "rationale": "x"},
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_finding"
    assert client.get("/api/v1/powers/proposals/999999").status_code == 404


@pytest.mark.django_db
def test_the_api_writes_are_for_national_analysts_only(client, resident, regional_analyst, catalogue) -> None:
    body = {"first": LIGHTING_PAIR[0], "second": LIGHTING_PAIR[1], "verdict": "confirmed"}
    assert post(client, "/api/v1/powers/duplicates/review", body).status_code == 401
    assert client.get("/api/v1/powers/proposals").status_code == 401
    client.force_login(resident)
    assert post(client, "/api/v1/powers/duplicates/review", body).status_code == 403
    client.force_login(regional_analyst)
    assert post(client, "/api/v1/powers/duplicates/review", body).status_code == 403
    assert not DuplicatePairReview.objects.exists() and not Proposal.objects.exists()
