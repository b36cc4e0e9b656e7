"""The commission's pages: call, nominate, register or refuse, results, end a mandate — only in its territory.

Three standing actors: the owner (commission of the unit's district), a colleague (commission elsewhere),
an outsider (a resident of the unit).
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from esep.core.models import Role
from esep.elections import services
from esep.elections.models import (
    Candidacy,
    CandidacyStatus,
    Election,
    ElectionStatus,
    EndReason,
    Mandate,
    Nomination,
    Party,
)
from esep.territory.models import Territory
from tests.elections.factories import (
    election_at_vote,
    ensure_voters,
    make_person,
    make_sitting_akim,
    new_iin,
    open_election,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user, unit):
    return make_user(Role.COMMISSION, Territory.objects.get(kato=unit.district_code))


@pytest.fixture
def colleague(make_user, unit_b):
    return make_user(Role.COMMISSION, Territory.objects.get(kato=unit_b.district_code))


@pytest.fixture
def outsider(make_user, unit):
    return make_user(Role.RESIDENT, unit)


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


def test_only_the_territorys_commission_calls_an_election(
    client: Client, unit, owner, colleague, outsider
) -> None:
    url = reverse("elections:call", args=[unit.kato])
    voting = (timezone.localdate() + timedelta(days=45)).isoformat()
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert as_user(client, outsider).post(url, {"kind": "regular", "voting_date": voting}).status_code == 403
    assert as_user(client, colleague).post(url, {"kind": "regular", "voting_date": voting}).status_code == 403
    assert not Election.objects.exists()
    response = as_user(client, owner).post(url, {"kind": "regular", "voting_date": voting})
    election = Election.objects.get(rural_unit=unit)
    assert response.status_code == 302 and response["Location"] == reverse(
        "elections:election", args=[election.pk]
    )


def test_a_broken_rule_comes_back_as_a_400_with_the_message(client: Client, unit, owner) -> None:
    url = reverse("elections:call", args=[unit.kato])
    too_soon = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = as_user(client, owner).post(
        url, {"kind": "regular", "voting_date": too_soon}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400 and "at least 30 days" in response.content.decode()
    response = client.post(url, {"kind": "regular", "voting_date": "31.02.2030"})
    assert response.status_code == 400 and "voting_date" in response.context["form"].errors


def test_the_commission_walks_an_election_to_its_result(client: Client, unit, owner, amanat) -> None:
    as_user(client, owner)
    today = timezone.localdate()
    election = open_election(unit, voting_date=today + timedelta(days=26), on=today - timedelta(days=10))
    nominate_url = reverse("elections:nominate", args=[election.pk])
    iin = new_iin(date(1981, 4, 4))
    response = client.post(
        nominate_url,
        {
            "iin": iin,
            "full_name": "Жаңа Кандидат",
            "education": "higher",
            "civil_service_years": "3",
            "nomination": "party",
            "party": "AMANAT",
        },
    )
    assert response.status_code == 302
    candidacy = Candidacy.objects.get(election=election)
    assert candidacy.person.party == amanat  # a party's new candidate joins the party
    assert iin not in str(candidacy.person.__dict__)
    response = client.post(reverse("elections:decide", args=[candidacy.pk]), {"action": "register"})
    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.REGISTERED
    # Registration closes in 6 days: the election cannot move to the vote yet, and says why.
    response = client.post(reverse("elections:advance", args=[election.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Nomination is open until" in response.content.decode()


def test_a_refusal_needs_a_reason(client: Client, unit, owner, amanat) -> None:
    election = open_election(unit, voting_date=timezone.localdate() + timedelta(days=40))
    candidacy = services.candidacy_nominate(
        election=election, person=make_person(party=amanat), nomination=Nomination.PARTY, party=amanat
    )
    url = reverse("elections:decide", args=[candidacy.pk])
    response = as_user(client, owner).post(url, {"action": "refuse", "reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"action": "refuse", "reason": "Документы неполные."})
    candidacy.refresh_from_db()
    assert response.status_code == 302 and candidacy.status == CandidacyStatus.REFUSED


def test_results_entered_on_the_page_elect_the_winner(client: Client, unit, owner, amanat) -> None:
    today = timezone.localdate()
    election, (first, second) = election_at_vote(
        unit,
        [
            (make_person(party=amanat), Nomination.PARTY, amanat),
            (make_person(full_name="Второй"), Nomination.SELF, None),
        ],
        voting_date=today - timedelta(days=1),
    )
    url = reverse("elections:results", args=[election.pk])
    assert as_user(client, owner).get(url).status_code == 200
    bad = {
        "voters_registered": "2000",
        "ballots_cast": "1000",
        "invalid_ballots": "0",
        f"votes_{first.pk}": "700",
        f"votes_{second.pk}": "200",
    }
    response = client.post(url, bad, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "add up to the valid ballots" in response.content.decode()
    response = client.post(url, {**bad, f"votes_{second.pk}": "300"})
    assert response.status_code == 302
    assert Mandate.objects.current().get(rural_unit=unit).person == first.person
    election.refresh_from_db()
    assert election.status == ElectionStatus.CERTIFIED


def test_the_commission_ends_a_mandate_and_an_early_election_follows(
    client: Client, unit, owner, colleague, amanat
) -> None:
    mandate = make_sitting_akim(unit, party=amanat)
    url = reverse("elections:mandate_end", args=[mandate.pk])
    data = {"reason": EndReason.RESIGNATION, "ended_on": timezone.localdate().isoformat(), "note": ""}
    assert as_user(client, colleague).post(url, data).status_code == 403
    response = as_user(client, owner).post(url, data)
    assert response.status_code == 302
    assert Election.objects.open().get(rural_unit=unit).kind == "early"


def test_a_party_officer_nominates_members_of_their_own_party_only(
    client: Client, unit, make_user, amanat, auyl
) -> None:
    region = Territory.objects.get(kato=unit.region_code)
    officer = make_user(Role.PARTY_OFFICER, region, party_code="AMANAT")
    election = open_election(unit, voting_date=timezone.localdate() + timedelta(days=40))
    url = reverse("elections:nominate", args=[election.pk])
    as_user(client, officer)
    page = client.get(url)
    assert page.status_code == 200
    assert [value for value, _label in page.context["form"].fields["nomination"].choices] == ["party"]
    member = {
        "iin": new_iin(date(1983, 3, 3)),
        "full_name": "Член Партии",
        "education": "higher",
        "civil_service_years": "0",
        "nomination": "party",
    }
    assert client.post(url, {**member, "party": "AUYL"}).status_code == 400
    assert (
        client.post(url, {**member, "nomination": "self", "party": "AMANAT", "signatures": "50"}).status_code
        == 400
    )
    assert client.post(url, {**member, "party": "AMANAT"}).status_code == 302
    elsewhere = open_election(
        Territory.objects.elected_units().exclude(kato__startswith="10").first(),
        voting_date=timezone.localdate() + timedelta(days=40),
    )
    assert client.get(reverse("elections:nominate", args=[elsewhere.pk])).status_code == 403


def test_only_administrators_edit_parties(client: Client, make_user, owner) -> None:
    url = reverse("elections:party_new")
    data = {
        "code": "NEW_PARTY",
        "name_kk": "Жаңа",
        "name_ru": "Новая",
        "name_en": "New",
        "is_registered": "on",
    }
    assert as_user(client, owner).post(url, data).status_code == 403
    admin = make_user(Role.ADMINISTRATOR, None)
    assert as_user(client, admin).post(url, data).status_code == 302
    assert client.post(url, data).status_code == 400  # the code is taken
    edit = client.post(reverse("elections:party_edit", args=["NEW_PARTY"]), {**data, "name_en": "Renamed"})
    assert edit.status_code == 302
    assert Party.objects.get(code="NEW_PARTY").name_en == "Renamed"


def test_an_akim_edits_their_own_profile_and_nobody_elses(
    client: Client, unit, unit_a2, make_user, amanat
) -> None:
    mandate = make_sitting_akim(unit, party=amanat)
    user = make_user()
    services.person_link_user(person=mandate.person, user=user)
    ensure_voters(unit_a2)
    other = make_sitting_akim(unit_a2, person=make_person(full_name="Другой Аким"))
    data = {
        "full_name": mandate.person.full_name,
        "education": "higher",
        "civil_service_years": "4",
        "biography": "Новая биография.",
        "party": str(amanat.pk),
    }
    as_user(client, user)
    assert client.post(reverse("elections:person_edit", args=[mandate.person_id]), data).status_code == 302
    mandate.person.refresh_from_db()
    assert mandate.person.biography == "Новая биография."
    assert client.get(reverse("elections:person_edit", args=[other.person_id])).status_code == 403


def test_the_manage_page_lists_only_the_territorys_open_elections(
    client: Client, unit, unit_b, owner
) -> None:
    ensure_voters(unit_b)
    mine = open_election(unit, voting_date=timezone.localdate() + timedelta(days=40))
    open_election(unit_b, voting_date=timezone.localdate() + timedelta(days=40))
    as_user(client, owner).get(reverse("elections:manage"))  # the session's first request loads more
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("elections:manage"))
    assert [e.pk for e in response.context["page"]] == [mine.pk]
    another = (
        Territory.objects.elected_units().filter(kato__startswith=unit.kato[:4]).exclude(pk=unit.pk).first()
    )
    ensure_voters(another)
    open_election(another, voting_date=timezone.localdate() + timedelta(days=40))
    with CaptureQueriesContext(connection) as two:
        assert len(client.get(reverse("elections:manage")).context["page"]) == 2
    assert len(one) == len(two)
    response = client.get(reverse("elections:manage"), {"unit": unit_b.kato})
    assert response.status_code == 400
    response = client.get(reverse("elections:manage"), {"unit": unit.kato})
    assert response.status_code == 302
