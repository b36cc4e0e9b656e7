"""Results: the plurality winner takes a four-year mandate; a tie or a lone defeat calls a repeat election."""

from datetime import date, timedelta

import pytest

from esep.accounts.services import user_create
from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.core.models import Role, RoleAssignment
from esep.elections import rules, services
from esep.elections.models import Election, ElectionKind, ElectionStatus, EndReason, Mandate, Nomination
from esep.territory.models import Territory
from tests.elections.factories import election_at_vote, make_person, make_sitting_akim, run_election

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_vote(unit: Territory, amanat, auyl, voting_day: date):
    return election_at_vote(
        unit,
        [
            (make_person(party=amanat, full_name="Первый Кандидат"), Nomination.PARTY, amanat),
            (make_person(party=auyl, full_name="Второй Кандидат"), Nomination.PARTY, auyl),
            (make_person(full_name="Третий Кандидат"), Nomination.SELF, None),
        ],
        voting_date=voting_day,
    )


def register(election, candidacies, votes, *, voters=2000, invalid=10, on=None):
    return services.election_result_register(
        election=election,
        voters_registered=voters,
        ballots_cast=sum(votes) + invalid,
        invalid_ballots=invalid,
        votes={c.pk: v for c, v in zip(candidacies, votes, strict=True)},
        on=on or election.voting_date,
    )


def test_the_candidate_with_most_votes_becomes_akim_for_four_years(at_vote) -> None:
    election, candidacies = at_vote
    result = register(election, candidacies, [500, 700, 100])
    election.refresh_from_db()
    assert election.status == ElectionStatus.CERTIFIED
    assert result.winner == candidacies[1] and not result.tie
    mandate = Mandate.objects.get(election=election)
    assert mandate.person == candidacies[1].person and mandate.party.code == "AUYL"
    assert mandate.starts_on == election.voting_date
    assert mandate.ends_on == rules.add_years(election.voting_date, 4)
    assert mandate.ended_on is None
    assert result.turnout == pytest.approx(1310 / 2000)
    actions = list(AuditEvent.objects.order_by("-sequence").values_list("action", flat=True)[:2])
    assert actions == ["elections.mandate_start", "elections.result_register"]


def test_a_tie_for_first_place_calls_a_repeat_election_automatically(at_vote) -> None:
    election, candidacies = at_vote
    result = register(election, candidacies, [600, 600, 100])
    assert result.tie and result.winner is None
    assert not Mandate.objects.filter(election=election).exists()
    repeat = Election.objects.get(repeat_of=election)
    assert (repeat.kind, repeat.status) == (ElectionKind.REPEAT, ElectionStatus.CALLED)
    assert repeat.voting_date == rules.follow_up_voting_date(election.voting_date)
    assert repeat.voting_date.weekday() == 6


def test_a_lone_candidate_needs_more_than_half_of_the_ballots(
    unit: Territory, amanat, voting_day: date
) -> None:
    election, (candidacy,) = election_at_vote(
        unit, [(make_person(party=amanat), Nomination.PARTY, amanat)], voting_date=voting_day
    )
    result = services.election_result_register(
        election=election,
        voters_registered=2000,
        ballots_cast=1000,
        invalid_ballots=20,
        votes={candidacy.pk: 500},
        on=voting_day,
    )
    assert result.winner is None and not result.tie
    assert Election.objects.filter(repeat_of=election, kind=ElectionKind.REPEAT).exists()


def test_a_lone_candidate_with_a_majority_is_elected(unit: Territory, amanat, voting_day: date) -> None:
    result = run_election(
        unit, [(make_person(party=amanat), Nomination.PARTY, amanat)], [501], voting_date=voting_day
    )
    assert result.winner is not None and result.ballots_cast == 1001


@pytest.mark.parametrize(
    ("voters", "votes", "invalid", "message"),
    [
        (1000, [600, 500, 10], 0, "More ballots were cast than there are voters"),
        (2000, [600, 500, 10], -5, "cannot be negative"),
    ],
)
def test_an_impossible_count_is_refused(at_vote, voters, votes, invalid, message) -> None:
    election, candidacies = at_vote
    with pytest.raises(ApplicationError, match=message):
        register(election, candidacies, votes, voters=voters, invalid=invalid)
    election.refresh_from_db()
    assert election.status == ElectionStatus.VOTING and not hasattr(election, "result")


def test_the_votes_must_add_up_to_the_valid_ballots(at_vote) -> None:
    election, candidacies = at_vote
    with pytest.raises(ApplicationError, match="add up to the valid ballots"):
        services.election_result_register(
            election=election,
            voters_registered=2000,
            ballots_cast=1200,
            invalid_ballots=10,
            votes={c.pk: 300 for c in candidacies},
            on=election.voting_date,
        )


def test_every_registered_candidate_and_no_one_else_gets_votes(at_vote) -> None:
    election, candidacies = at_vote
    with pytest.raises(ApplicationError, match="missing: Третий Кандидат"):
        register(election, candidacies[:2], [600, 500])
    with pytest.raises(ApplicationError, match="every registered candidate"):
        services.election_result_register(
            election=election,
            voters_registered=2000,
            ballots_cast=1300,
            invalid_ballots=0,
            votes={**{c.pk: 400 for c in candidacies}, 999999: 100},
            on=election.voting_date,
        )


def test_results_wait_for_the_vote(at_vote) -> None:
    election, candidacies = at_vote
    with pytest.raises(ApplicationError, match="cannot be registered before it"):
        register(election, candidacies, [1, 2, 3], on=election.voting_date - timedelta(days=1))
    register(election, candidacies, [1, 2, 3])
    with pytest.raises(ApplicationError, match="Results are registered after the vote"):
        register(election, candidacies, [1, 2, 3])


def test_a_regular_election_ends_the_predecessors_term(unit: Territory, amanat, auyl, today: date) -> None:
    old = make_sitting_akim(unit, party=amanat, starts_on=today - timedelta(days=4 * 365))
    result = run_election(
        unit,
        [(make_person(party=auyl, full_name="Новый Аким"), Nomination.PARTY, auyl)],
        [900],
        voting_date=today - timedelta(days=2),
    )
    old.refresh_from_db()
    assert (old.ended_on, old.end_reason) == (result.certified_on, EndReason.TERM_EXPIRED)
    assert Mandate.objects.current().get(rural_unit=unit).person.full_name == "Новый Аким"
    # No early election: the post was filled by the regular one.
    assert not Election.objects.open().filter(rural_unit=unit).exists()


def test_the_akims_account_gets_the_akim_role_in_the_unit(unit: Territory, amanat, voting_day: date) -> None:
    person = make_person(party=amanat)
    user = user_create(username="future.akim", password=None)
    services.person_link_user(person=person, user=user)
    assert not RoleAssignment.objects.filter(user=user, role=Role.AKIM).exists()
    run_election(unit, [(person, Nomination.PARTY, amanat)], [800], voting_date=voting_day)
    assert RoleAssignment.objects.filter(user=user, role=Role.AKIM, territory=unit).exists()
