"""The state machine: exactly the moves of the issue are allowed, every other one is refused by name."""

import itertools

import pytest

from esep.core.errors import ApplicationError
from esep.recall import states
from esep.recall.states import State

S = State
# Written out again, independently of states.TRANSITIONS, so that a change to the table must be deliberate.
EXPECTED = {
    (S.FILED, S.REGISTERED),
    (S.FILED, S.REFUSED),
    (S.FILED, S.WITHDRAWN),
    (S.FILED, S.VOID),
    (S.REGISTERED, S.COLLECTING),
    (S.REGISTERED, S.VOID),
    (S.COLLECTING, S.VERIFICATION),
    (S.COLLECTING, S.VOID),
    (S.VERIFICATION, S.CERTIFIED_REACHED),
    (S.VERIFICATION, S.CERTIFIED_NOT_REACHED),
    (S.VERIFICATION, S.VOID),
    (S.CERTIFIED_REACHED, S.VOTE_SCHEDULED),
    (S.CERTIFIED_REACHED, S.VOID),
    (S.VOTE_SCHEDULED, S.RECALLED),
    (S.VOTE_SCHEDULED, S.NOT_RECALLED),
    (S.VOTE_SCHEDULED, S.CERTIFIED_REACHED),
    (S.VOTE_SCHEDULED, S.VOID),
}
PAIRS = list(itertools.product(State.values, State.values))


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_only_the_moves_of_the_table_are_allowed(current: str, target: str) -> None:
    if (current, target) in EXPECTED:
        states.check_transition(current, target)
    else:
        with pytest.raises(ApplicationError) as refused:
            states.check_transition(current, target)
        assert refused.value.code == "transition_refused"
        assert str(State(current).label) in str(refused.value) and str(State(target).label) in str(
            refused.value
        )


def test_closed_states_have_no_way_out_and_active_ones_do() -> None:
    assert set(states.CLOSED_STATES) == {
        S.WITHDRAWN,
        S.REFUSED,
        S.CERTIFIED_NOT_REACHED,
        S.RECALLED,
        S.NOT_RECALLED,
        S.VOID,
    }
    assert set(states.ACTIVE_STATES) == set(State.values) - set(states.CLOSED_STATES)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("filed", "registered", True),
        ("filed", "refused", True),
        ("registered", "filed", False),
        ("refused", "registered", False),
    ],
)
def test_a_party_withdrawal_is_registered_or_refused_once(current: str, target: str, allowed: bool) -> None:
    if allowed:
        states.check_withdrawal_transition(current, target)
    else:
        with pytest.raises(ApplicationError, match="cannot become"):
            states.check_withdrawal_transition(current, target)
