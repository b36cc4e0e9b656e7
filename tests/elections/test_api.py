"""The elections API: akims, elections, parties, composition; filters, pagination, JSON errors."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from esep.elections.models import Nomination
from esep.territory.models import Territory
from tests.elections.factories import ensure_voters, make_person, make_sitting_akim, run_election

pytestmark = pytest.mark.django_db


@pytest.fixture
def corps(unit, unit_a2, unit_b, amanat):
    """Three sitting akims: AMANAT in A (first mandate), self-nominated in A2 and B."""
    for other in (unit_a2, unit_b):
        ensure_voters(other)
    return [
        make_sitting_akim(
            unit, person=make_person(party=amanat, birth_date=date(1980, 1, 1), civil_service_years=0)
        ),
        make_sitting_akim(unit_a2, person=make_person(full_name="Сапаров Марат", civil_service_years=3)),
        make_sitting_akim(unit_b, person=make_person(full_name="Оспанов Ерік", civil_service_years=0)),
    ]


def test_akims_filter_by_territory_party_and_first_time(client: Client, corps) -> None:
    everyone = client.get("/api/v1/akims").json()
    assert everyone["count"] == 3
    item = everyone["items"][0]
    assert item["mandate"]["unit"]["kato"] == "103230000" and item["mandate"]["party"] == "AMANAT"
    assert item["birth_year"] == 1980 and item["first_time"] is True and "iin" not in str(item).lower()
    assert client.get("/api/v1/akims", {"territory": "103200000"}).json()["count"] == 2
    assert client.get("/api/v1/akims", {"party": "AMANAT"}).json()["count"] == 1
    assert client.get("/api/v1/akims", {"party": "SELF"}).json()["count"] == 2
    assert client.get("/api/v1/akims", {"first_time": "false"}).json()["count"] == 0
    assert client.get("/api/v1/akims", {"no_civil_service": "true"}).json()["count"] == 2


def test_bad_filters_are_json_errors(client: Client, corps) -> None:
    response = client.get("/api/v1/akims", {"territory": "12"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_input"
    response = client.get("/api/v1/akims", {"territory": "999999999"})
    assert response.status_code == 404 and "999999999" in response.json()["error"]["message"]
    response = client.get("/api/v1/akims", {"party": "NOPE"})
    assert response.status_code == 400 and "NOPE" in response.json()["error"]["message"]
    assert client.get("/api/v1/akims/999999").status_code == 404
    unit = client.get("/api/v1/stats/akims", {"territory": "103230000"})
    assert unit.status_code == 400
    assert unit.json()["error"]["message"] == "Give the KATO code of a region or a district."


def test_one_akim_with_mandates(client: Client, corps) -> None:
    mandate = corps[0]
    body = client.get(f"/api/v1/akims/{mandate.person_id}").json()
    assert body["current_mandate"]["id"] == mandate.pk and len(body["mandates"]) == 1
    loser = make_person(full_name="Никогда Не Аким")
    assert client.get(f"/api/v1/akims/{loser.pk}").status_code == 404


def test_elections_and_their_candidates(client: Client, corps) -> None:
    listing = client.get("/api/v1/elections", {"territory": "103230000"}).json()
    assert listing["count"] == 1
    election = listing["items"][0]
    assert election["registered_candidates"] == 2 and election["winner"] == corps[0].person_id
    assert election["turnout"] == 0.5
    detail = client.get(f"/api/v1/elections/{election['id']}").json()
    assert sorted(c["votes"] for c in detail["candidacies"]) == [300, 700]
    assert client.get("/api/v1/elections", {"status": "voting"}).json()["count"] == 0
    assert client.get("/api/v1/elections", {"status": "nonsense"}).status_code == 400


def test_elections_filter_by_a_party_standing(client: Client, corps) -> None:
    # Every election of the corps has a self-nominated candidate; only the one in A has AMANAT's.
    assert client.get("/api/v1/elections", {"party": "SELF"}).json()["count"] == 3
    amanat = client.get("/api/v1/elections", {"party": "AMANAT"}).json()
    assert [item["unit"]["kato"] for item in amanat["items"]] == ["103230000"]
    assert client.get("/api/v1/elections", {"party": "SUPERIOR_AKIM"}).json()["count"] == 0
    unknown = client.get("/api/v1/elections", {"party": "NOPARTY"})
    assert unknown.status_code == 400 and "NOPARTY" in unknown.json()["error"]["message"]


def test_parties(client: Client, amanat, auyl) -> None:
    body = client.get("/api/v1/parties").json()
    assert [party["code"] for party in body["items"]] == ["AMANAT", "AUYL"]
    assert client.get("/api/v1/parties/AUYL").json()["name_en"] == "Auyl Party"


def test_the_stats_have_the_keys_the_issue_names(client: Client, corps) -> None:
    body = client.get("/api/v1/stats/akims").json()
    for key in ("akims_in_office", "average_age", "first_time_share", "no_civil_service_share", "by_party"):
        assert key in body
    assert body["akims_in_office"] == 3 and body["territory"] is None
    assert body["no_civil_service_share"] == round(2 / 3, 4)
    assert {share["code"]: share["akims"] for share in body["by_party"]} == {"SELF": 2, "AMANAT": 1}
    district = client.get("/api/v1/stats/akims", {"territory": "103200000"}).json()
    assert district["akims_in_office"] == 2 and district["territory"] == "103200000"


@pytest.mark.parametrize("path", ["/api/v1/akims", "/api/v1/elections"])
def test_list_query_counts_do_not_grow_with_rows(client: Client, unit, unit_a2, amanat, path: str) -> None:
    ensure_voters(unit_a2)
    make_sitting_akim(unit, party=amanat)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for number, other in enumerate(Territory.objects.elected_units().filter(kato__startswith="1032")[1:5]):
        ensure_voters(other)
        make_sitting_akim(other, person=make_person(full_name=f"Аким {number}"))
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).json()["count"] >= 4
    assert len(few) == len(many) <= 3


def test_a_tie_shows_no_winner(client: Client, unit, amanat, auyl, voting_day) -> None:
    result = run_election(
        unit,
        [
            (make_person(party=amanat), Nomination.PARTY, amanat),
            (make_person(party=auyl, full_name="Б"), Nomination.PARTY, auyl),
        ],
        [400, 400],
        voting_date=voting_day,
    )
    body = client.get(f"/api/v1/elections/{result.election_id}").json()
    assert body["tie"] is True and body["winner"] is None
