"""The recall vote: an election of kind "recall vote" on the mandate; more than half of those who voted,
with the rule set's minimum turnout, end the mandate ("recalled by citizens"); an early election follows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from esep.core.errors import ApplicationError
from esep.elections.models import Election, ElectionKind, ElectionStatus, EndReason, Mandate
from esep.programs.services import rule_set_publish
from esep.recall import services
from esep.recall.models import Initiative
from esep.recall.states import State
from tests.recall.factories import at, reached_initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting_day() -> date:
    return timezone.localdate() - timedelta(days=10)


@pytest.fixture
def scheduled(unit, residents, commission, voting_day) -> Initiative:
    initiative = reached_initiative(unit, residents, commission)
    assert initiative.state == State.CERTIFIED_REACHED
    return services.recall_vote_schedule(
        initiative=initiative,
        voting_date=voting_day,
        actor=commission,
        now=at(voting_day - timedelta(days=37)),
    )


def result(
    initiative: Initiative, commission, *, cast: int, for_recall: int, voters: int = 100, voting_day=None
):
    return services.recall_vote_result(
        initiative=initiative,
        voters_registered=voters,
        ballots_cast=cast,
        invalid_ballots=0,
        votes_for_recall=for_recall,
        actor=commission,
        now=at(voting_day or timezone.localdate() - timedelta(days=10), 22),
    )


def test_scheduling_calls_a_recall_vote_on_the_mandate(scheduled, mandate, voting_day) -> None:
    vote = scheduled.recall_vote
    assert scheduled.state == State.VOTE_SCHEDULED
    assert (vote.kind, vote.recall_of_id, vote.voting_date, vote.status) == (
        ElectionKind.RECALL,
        mandate.pk,
        voting_day,
        ElectionStatus.VOTING,
    )


def test_a_majority_with_the_turnout_recalls_and_calls_an_early_election(
    scheduled, mandate, commission, voting_day
) -> None:
    initiative = result(scheduled, commission, cast=50, for_recall=26)
    assert (initiative.state, initiative.closed_on) == (State.RECALLED, voting_day)
    mandate.refresh_from_db()
    assert (mandate.ended_on, mandate.end_reason) == (voting_day, EndReason.RECALLED)
    early = Election.objects.open().get(rural_unit=mandate.rural_unit)
    assert (early.kind, early.called_on) == (ElectionKind.EARLY, voting_day)
    assert not Mandate.objects.current().filter(rural_unit=mandate.rural_unit).exists()


@pytest.mark.parametrize(
    ("cast", "for_recall", "state"),
    [
        (50, 25, State.NOT_RECALLED),  # half is not more than half
        (49, 49, State.NOT_RECALLED),  # turnout 49% under the default 50%
        (50, 26, State.RECALLED),  # exactly the minimum turnout, a majority
    ],
)
def test_the_outcome_follows_the_majority_and_the_turnout_exactly(
    scheduled, mandate, commission, cast, for_recall, state
) -> None:
    assert result(scheduled, commission, cast=cast, for_recall=for_recall).state == state
    mandate.refresh_from_db()
    assert (mandate.ended_on is None) is (state == State.NOT_RECALLED)


def test_the_turnout_rule_of_the_rule_set_on_the_voting_day_applies(scheduled, mandate, commission) -> None:
    rule_set_publish(
        version="T-turnout",
        effective_from=date(2000, 1, 1),
        parameters={"max_local_budget_share": 0.3, "recall_vote_min_turnout": 0.3},
    )
    initiative = result(scheduled, commission, cast=30, for_recall=20)
    assert initiative.state == State.RECALLED and initiative.min_turnout_share == Decimal("0.3")


def test_the_vote_is_scheduled_only_once_the_threshold_is_certified(
    unit, residents, commission, today
) -> None:
    from tests.recall.factories import collecting_initiative

    initiative = collecting_initiative(unit, residents, commission)
    with pytest.raises(ApplicationError, match="cannot become"):
        services.recall_vote_schedule(
            initiative=initiative, voting_date=today + timedelta(days=40), actor=commission
        )
    assert not Election.objects.filter(kind=ElectionKind.RECALL).exists()


def test_an_initiative_below_the_threshold_gets_no_vote(unit, residents, commission, today) -> None:
    initiative = reached_initiative(unit, residents, commission, signed=9)
    assert initiative.state == State.CERTIFIED_NOT_REACHED
    with pytest.raises(ApplicationError, match="cannot become"):
        services.recall_vote_schedule(
            initiative=initiative, voting_date=today + timedelta(days=40), actor=commission
        )


def test_the_election_rules_hold_for_the_vote_date_and_the_results(
    unit, residents, commission, other_commission, today
) -> None:
    initiative = reached_initiative(unit, residents, commission)
    with pytest.raises(ApplicationError, match="at least 30 days after"):
        services.recall_vote_schedule(
            initiative=initiative, voting_date=today + timedelta(days=10), actor=commission
        )
    with pytest.raises(ApplicationError, match="Only the election commission"):
        services.recall_vote_schedule(
            initiative=initiative, voting_date=today + timedelta(days=40), actor=other_commission
        )
    initiative = services.recall_vote_schedule(
        initiative=initiative, voting_date=today + timedelta(days=40), actor=commission
    )
    with pytest.raises(ApplicationError, match="cannot be registered before it"):
        services.recall_vote_result(
            initiative=initiative,
            voters_registered=100,
            ballots_cast=60,
            invalid_ballots=0,
            votes_for_recall=40,
            actor=commission,
        )
    assert Initiative.objects.get(pk=initiative.pk).state == State.VOTE_SCHEDULED
