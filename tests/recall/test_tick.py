"""`esep tick`: opens and closes signing on their dates exactly once, and follows mandates and recall votes
changed on the elections pages."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from esep.elections import services as elections
from esep.elections.models import EndReason
from esep.recall import services, tick
from esep.recall.models import Initiative, InitiativeEvent
from esep.recall.states import State
from tests.recall.factories import at, collecting_initiative, reached_initiative

pytestmark = pytest.mark.django_db


def state(initiative: Initiative) -> str:
    return Initiative.objects.get(pk=initiative.pk).state


def test_signing_closes_the_day_after_its_last_day_and_only_once(unit, residents, commission) -> None:
    initiative = collecting_initiative(unit, residents, commission)
    last_day = initiative.signing_closes_on
    assert "closed in 0" in tick.run(now=at(last_day, 23))
    assert state(initiative) == State.COLLECTING
    assert "closed in 1" in tick.run(now=at(last_day + timedelta(days=1), 0))
    assert "closed in 0" in tick.run(now=at(last_day + timedelta(days=1), 0))
    assert state(initiative) == State.VERIFICATION
    assert InitiativeEvent.objects.filter(initiative=initiative, to_state=State.VERIFICATION).count() == 1


def test_a_second_tick_that_read_the_old_state_moves_nothing(unit, residents, commission) -> None:
    initiative = collecting_initiative(unit, residents, commission)
    stale = Initiative.objects.get(pk=initiative.pk)  # read by a second tick before the first one wrote
    after = at(initiative.signing_closes_on + timedelta(days=1))
    assert services.initiative_close_signing(initiative=initiative, now=after)
    assert stale.state == State.COLLECTING
    assert not services.initiative_close_signing(initiative=stale, now=after)
    assert InitiativeEvent.objects.filter(initiative=initiative, to_state=State.VERIFICATION).count() == 1


def test_an_initiative_becomes_void_when_the_mandate_ends_otherwise(
    unit, residents, commission, mandate, today
) -> None:
    initiative = collecting_initiative(unit, residents, commission)
    elections.mandate_end(mandate=mandate, reason=EndReason.RESIGNATION, on=today)
    tick.run(now=timezone.now())
    initiative.refresh_from_db()
    assert (initiative.state, initiative.closed_on) == (State.VOID, today)
    assert "resignation" in initiative.events.last().note


def test_a_result_registered_on_the_elections_pages_is_followed(
    unit, residents, commission, mandate, today
) -> None:
    initiative = reached_initiative(unit, residents, commission)
    vote_day = today - timedelta(days=10)
    initiative = services.recall_vote_schedule(
        initiative=initiative, voting_date=vote_day, actor=commission, now=at(vote_day - timedelta(days=35))
    )
    elections.recall_result_register(
        election=initiative.recall_vote,
        voters_registered=100,
        ballots_cast=60,
        invalid_ballots=0,
        votes_for_recall=40,
        on=vote_day,
    )
    tick.run(now=timezone.now())
    assert state(initiative) == State.RECALLED


def test_a_cancelled_vote_sends_the_initiative_back_to_scheduling(unit, residents, commission, today) -> None:
    initiative = reached_initiative(unit, residents, commission)
    initiative = services.recall_vote_schedule(
        initiative=initiative, voting_date=today + timedelta(days=40), actor=commission
    )
    elections.election_cancel(election=initiative.recall_vote, reason="Ошибка в дате.")
    tick.run(now=timezone.now())
    initiative.refresh_from_db()
    assert (initiative.state, initiative.recall_vote) == (State.CERTIFIED_REACHED, None)
    again = services.recall_vote_schedule(
        initiative=initiative, voting_date=today + timedelta(days=45), actor=commission
    )
    assert again.state == State.VOTE_SCHEDULED


def test_the_tick_command_runs_the_recall_step(unit, residents, commission) -> None:
    from io import StringIO

    out = StringIO()
    call_command("tick", stdout=out)
    assert "esep.recall.tick.run: recall: signing opened in 0, closed in 0" in out.getvalue()
