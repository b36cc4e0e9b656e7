"""Calling an election and moving it along its timeline: called > nomination > registration > voting."""

from datetime import date, timedelta

import pytest

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.elections import services
from esep.elections.models import Election, ElectionKind, ElectionStatus, Nomination
from esep.territory.models import Territory
from tests.elections.factories import election_at_vote, make_person, make_sitting_akim, open_election

pytestmark = pytest.mark.django_db


def test_an_election_is_called_with_its_timeline_and_audited(
    unit: Territory, today: date, voting_day: date
) -> None:
    election = services.election_call(unit=unit, kind=ElectionKind.REGULAR, voting_date=voting_day, on=today)
    assert election.status == ElectionStatus.CALLED
    assert election.nomination_closes == voting_day - timedelta(days=25)
    assert election.registration_closes == voting_day - timedelta(days=20)
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.territory, event.data["kind"]) == (
        "elections.election_call",
        unit.kato,
        "regular",
    )


def test_only_units_with_an_elected_akim_hold_elections(today: date, voting_day: date) -> None:
    district = Territory.objects.get(kato="103200000")
    with pytest.raises(ApplicationError, match="not a rural unit with an elected akim"):
        services.election_call(unit=district, kind=ElectionKind.REGULAR, voting_date=voting_day, on=today)
    assert not Election.objects.exists()


def test_the_vote_is_at_least_30_days_after_the_call(unit: Territory, today: date) -> None:
    with pytest.raises(ApplicationError, match="at least 30 days"):
        services.election_call(
            unit=unit, kind=ElectionKind.REGULAR, voting_date=today + timedelta(days=29), on=today
        )
    services.election_call(
        unit=unit, kind=ElectionKind.REGULAR, voting_date=today + timedelta(days=30), on=today
    )


def test_one_election_at_a_time_in_a_unit(unit: Territory, today: date, voting_day: date) -> None:
    services.election_call(unit=unit, kind=ElectionKind.REGULAR, voting_date=voting_day, on=today)
    with pytest.raises(ApplicationError, match="already under way"):
        services.election_call(unit=unit, kind=ElectionKind.EARLY, voting_date=voting_day, on=today)


def test_an_early_election_needs_a_vacant_post_and_a_regular_one_the_end_of_the_term(
    unit: Territory, amanat, today: date
) -> None:
    make_sitting_akim(unit, party=amanat, starts_on=today - timedelta(days=365))
    with pytest.raises(ApplicationError, match="early election is called only when the post is vacant"):
        services.election_call(
            unit=unit, kind=ElectionKind.EARLY, voting_date=today + timedelta(days=60), on=today
        )
    with pytest.raises(ApplicationError, match="term runs until"):
        services.election_call(
            unit=unit, kind=ElectionKind.REGULAR, voting_date=today + timedelta(days=60), on=today
        )
    # In the last six months of the term a regular election can be called.
    end = today - timedelta(days=365) + timedelta(days=4 * 365 + 1)
    services.election_call(
        unit=unit, kind=ElectionKind.REGULAR, voting_date=end - timedelta(days=100), on=today
    )


def test_a_repeat_election_is_not_called_by_hand(unit: Territory, today: date, voting_day: date) -> None:
    with pytest.raises(ApplicationError, match="repeat election follows"):
        services.election_call(unit=unit, kind=ElectionKind.REPEAT, voting_date=voting_day, on=today)


def test_a_recall_vote_is_on_the_sitting_akims_mandate(
    unit: Territory, unit_a2: Territory, amanat, today: date
) -> None:
    mandate = make_sitting_akim(unit, party=amanat)
    with pytest.raises(ApplicationError, match="recall vote is held on the sitting akim"):
        services.election_call(
            unit=unit, kind=ElectionKind.RECALL, voting_date=today + timedelta(days=40), on=today
        )
    with pytest.raises(ApplicationError):
        services.election_call(
            unit=unit_a2,
            kind=ElectionKind.RECALL,
            voting_date=today + timedelta(days=40),
            on=today,
            recall_of=mandate,
        )
    recall = services.election_call(
        unit=unit,
        kind=ElectionKind.RECALL,
        voting_date=today + timedelta(days=40),
        on=today,
        recall_of=mandate,
    )
    # A recall vote has no nomination: it goes from called straight to the vote.
    assert services.election_advance(election=recall, on=today).status == ElectionStatus.VOTING


def test_nomination_opens_only_before_it_closes(unit: Territory, today: date) -> None:
    election = services.election_call(
        unit=unit, kind=ElectionKind.REGULAR, voting_date=today + timedelta(days=40), on=today
    )
    with pytest.raises(ApplicationError, match="Nomination had to close"):
        services.election_advance(election=election, on=election.nomination_closes + timedelta(days=1))
    assert services.election_advance(election=election, on=today).status == ElectionStatus.NOMINATION


def test_registration_starts_when_nomination_closes_and_voting_when_registration_does(
    unit: Territory, amanat, voting_day: date
) -> None:
    election = open_election(unit, voting_date=voting_day)
    with pytest.raises(ApplicationError, match="Nomination is open until"):
        services.election_advance(election=election, on=election.nomination_closes - timedelta(days=1))
    candidacy = services.candidacy_nominate(
        election=election,
        person=make_person(party=amanat),
        nomination=Nomination.PARTY,
        party=amanat,
        on=election.nomination_closes,
    )
    election = services.election_advance(election=election, on=election.nomination_closes)
    assert election.status == ElectionStatus.REGISTRATION
    with pytest.raises(ApplicationError, match="Registration of candidates runs until"):
        services.election_advance(election=election, on=election.registration_closes - timedelta(days=1))
    with pytest.raises(ApplicationError, match="Register or refuse every nominated candidate first"):
        services.election_advance(election=election, on=election.registration_closes)
    services.candidacy_refuse(
        candidacy=candidacy, reason="Документы неполные.", on=election.registration_closes
    )
    with pytest.raises(ApplicationError, match="No candidate is registered"):
        services.election_advance(election=election, on=election.registration_closes)


def test_results_move_the_vote_on_not_the_advance_button(unit: Territory, amanat, voting_day: date) -> None:
    election, _candidacies = election_at_vote(
        unit, [(make_person(party=amanat), Nomination.PARTY, amanat)], voting_date=voting_day
    )
    assert election.status == ElectionStatus.VOTING
    with pytest.raises(ApplicationError, match="only its results move it on"):
        services.election_advance(election=election, on=voting_day)


def test_cancelling_needs_a_reason_and_frees_the_unit(unit: Territory, today: date, voting_day: date) -> None:
    election = open_election(unit, voting_date=voting_day)
    with pytest.raises(ApplicationError, match="reason"):
        services.election_cancel(election=election, reason="  ")
    services.election_cancel(election=election, reason="Ошибка в дате.")
    election.refresh_from_db()
    assert (election.status, election.cancel_reason) == (ElectionStatus.CANCELLED, "Ошибка в дате.")
    with pytest.raises(ApplicationError, match="Only an election under way"):
        services.election_cancel(election=election, reason="again")
    services.election_call(
        unit=unit, kind=ElectionKind.REGULAR, voting_date=voting_day + timedelta(days=7), on=today
    )
