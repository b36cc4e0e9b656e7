"""Ending a mandate: every reason but an expired term leaves the post vacant and calls an early election."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from esep.accounts.services import user_create
from esep.core.errors import ApplicationError
from esep.core.models import Role, RoleAssignment
from esep.elections import rules, services
from esep.elections.models import Election, ElectionKind, ElectionStatus, EndReason, Mandate
from esep.territory.models import Territory
from tests.elections.factories import make_person, make_sitting_akim

pytestmark = pytest.mark.django_db

EARLY_ELECTION_REASONS = [reason for reason in EndReason.values if reason != EndReason.TERM_EXPIRED]


@pytest.mark.parametrize("reason", EARLY_ELECTION_REASONS)
def test_an_early_end_calls_an_early_election(unit: Territory, amanat, today: date, reason: str) -> None:
    mandate = make_sitting_akim(unit, party=amanat)
    services.mandate_end(mandate=mandate, reason=reason, on=today, note="Решение от 1 марта.")
    mandate.refresh_from_db()
    assert (mandate.ended_on, mandate.end_reason, mandate.end_note) == (today, reason, "Решение от 1 марта.")
    early = Election.objects.open().get(rural_unit=unit)
    assert (early.kind, early.called_on) == (ElectionKind.EARLY, today)
    assert early.voting_date == rules.follow_up_voting_date(today)
    assert not Mandate.objects.current().filter(rural_unit=unit).exists()


def test_an_expired_term_calls_no_early_election_and_cannot_be_claimed_early(
    unit: Territory, amanat, today: date
) -> None:
    mandate = make_sitting_akim(unit, party=amanat, starts_on=today - timedelta(days=4 * 365 + 5))
    with pytest.raises(ApplicationError, match="The term runs until"):
        services.mandate_end(
            mandate=mandate, reason=EndReason.TERM_EXPIRED, on=mandate.ends_on - timedelta(days=1)
        )
    services.mandate_end(mandate=mandate, reason=EndReason.TERM_EXPIRED, on=today)
    assert not Election.objects.open().filter(rural_unit=unit).exists()


def test_a_party_can_withdraw_only_its_own_nominee(unit: Territory, today: date) -> None:
    mandate = make_sitting_akim(unit, person=make_person(party=None))
    assert mandate.nomination == "self" and mandate.party is None
    with pytest.raises(ApplicationError, match="no party can withdraw them"):
        services.mandate_end(mandate=mandate, reason=EndReason.PARTY_WITHDRAWN, on=today)


def test_other_needs_a_note_and_a_mandate_ends_once_on_a_real_day(
    unit: Territory, amanat, today: date
) -> None:
    mandate = make_sitting_akim(unit, party=amanat)
    with pytest.raises(ApplicationError, match="Say what ended the mandate"):
        services.mandate_end(mandate=mandate, reason=EndReason.OTHER, on=today)
    with pytest.raises(ApplicationError, match="not in advance"):
        services.mandate_end(mandate=mandate, reason=EndReason.RESIGNATION, on=today + timedelta(days=1))
    with pytest.raises(ApplicationError, match="cannot end before it began"):
        services.mandate_end(
            mandate=mandate, reason=EndReason.RESIGNATION, on=mandate.starts_on - timedelta(days=1)
        )
    with pytest.raises(ApplicationError, match="Unknown reason"):
        services.mandate_end(mandate=mandate, reason="bored", on=today)
    services.mandate_end(mandate=mandate, reason=EndReason.RESIGNATION, on=today)
    with pytest.raises(ApplicationError, match="ended already"):
        services.mandate_end(mandate=mandate, reason=EndReason.RESIGNATION, on=today)


def test_the_akims_role_is_revoked_when_the_mandate_ends(unit: Territory, amanat, today: date) -> None:
    mandate = make_sitting_akim(unit, party=amanat)
    user = user_create(username="akim.user", password=None)
    services.person_link_user(person=mandate.person, user=user)
    assert RoleAssignment.objects.filter(user=user, role=Role.AKIM, territory=unit).exists()
    services.mandate_end(mandate=mandate, reason=EndReason.RESIGNATION, on=today)
    assert not RoleAssignment.objects.filter(user=user, role=Role.AKIM).exists()


def recall_vote(unit: Territory, mandate: Mandate, today: date) -> Election:
    recall = services.election_call(
        unit=unit,
        kind=ElectionKind.RECALL,
        voting_date=today - timedelta(days=1),
        on=today - timedelta(days=40),
        recall_of=mandate,
    )
    return services.election_advance(election=recall, on=today - timedelta(days=40))


def test_a_recall_vote_with_more_than_half_ends_the_mandate(unit: Territory, amanat, today: date) -> None:
    mandate = make_sitting_akim(unit, party=amanat, starts_on=today - timedelta(days=400))
    recall = recall_vote(unit, mandate, today)
    result = services.recall_result_register(
        election=recall,
        voters_registered=2000,
        ballots_cast=1000,
        invalid_ballots=10,
        votes_for_recall=501,
        on=today,
    )
    assert result.recall_votes_for == 501
    mandate.refresh_from_db()
    assert (mandate.ended_on, mandate.end_reason) == (today, EndReason.RECALLED)
    assert Election.objects.open().get(rural_unit=unit).kind == ElectionKind.EARLY


def test_a_recall_vote_without_a_majority_keeps_the_akim(unit: Territory, amanat, today: date) -> None:
    mandate = make_sitting_akim(unit, party=amanat, starts_on=today - timedelta(days=400))
    recall = recall_vote(unit, mandate, today)
    services.recall_result_register(
        election=recall,
        voters_registered=2000,
        ballots_cast=1000,
        invalid_ballots=0,
        votes_for_recall=500,
        on=today,
    )
    mandate.refresh_from_db()
    recall.refresh_from_db()
    assert mandate.ended_on is None and recall.status == ElectionStatus.CERTIFIED
    assert not Election.objects.open().filter(rural_unit=unit).exists()


@pytest.mark.parametrize(
    ("ballots_cast", "recalled"),
    [(999, False), (1000, True)],  # 2,000 voters and a 50% turnout rule: 1,000 ballots is exactly enough
)
def test_a_recall_vote_below_the_minimum_turnout_fails_whatever_the_majority(
    unit: Territory, amanat, today: date, ballots_cast: int, recalled: bool
) -> None:
    mandate = make_sitting_akim(unit, party=amanat, starts_on=today - timedelta(days=400))
    recall = recall_vote(unit, mandate, today)
    services.recall_result_register(
        election=recall,
        voters_registered=2000,
        ballots_cast=ballots_cast,
        invalid_ballots=0,
        votes_for_recall=ballots_cast - 10,
        on=today,
        min_turnout_share=0.5,
    )
    mandate.refresh_from_db()
    assert (mandate.end_reason == EndReason.RECALLED) is recalled
    assert Election.objects.open().filter(rural_unit=unit, kind=ElectionKind.EARLY).exists() is recalled


def test_the_turnout_rule_counts_exactly_at_awkward_shares(unit: Territory, amanat, today: date) -> None:
    # 0.3 * 10 is 3.0000000000000004 in floating point: three ballots of ten must still meet a 30% rule.
    mandate = make_sitting_akim(unit, party=amanat, starts_on=today - timedelta(days=400))
    recall = recall_vote(unit, mandate, today)
    services.recall_result_register(
        election=recall,
        voters_registered=10,
        ballots_cast=3,
        invalid_ballots=0,
        votes_for_recall=2,
        on=today,
        min_turnout_share=0.3,
    )
    mandate.refresh_from_db()
    assert mandate.end_reason == EndReason.RECALLED


def test_a_resignation_before_the_recall_vote_cancels_it(unit: Territory, amanat, today: date) -> None:
    mandate = make_sitting_akim(unit, party=amanat, starts_on=today - timedelta(days=400))
    recall = recall_vote(unit, mandate, today)
    services.mandate_end(mandate=mandate, reason=EndReason.RESIGNATION, on=today)
    recall.refresh_from_db()
    assert recall.status == ElectionStatus.CANCELLED and recall.cancel_reason
    assert Election.objects.open().get(rural_unit=unit).kind == ElectionKind.EARLY


def test_the_database_allows_one_sitting_akim_per_unit(unit: Territory, amanat) -> None:
    mandate = make_sitting_akim(unit, party=amanat)
    duplicate = Mandate(
        person=make_person(full_name="Второй"),
        rural_unit=unit,
        election=Election.objects.create(
            rural_unit=unit,
            kind="regular",
            voting_date=mandate.starts_on,
            called_on=mandate.starts_on,
            status="certified",
        ),
        nomination="self",
        starts_on=mandate.starts_on,
        ends_on=mandate.ends_on,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
