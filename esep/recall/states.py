"""Every state of a recall initiative and of a party's withdrawal, and the only moves between them.

`services.initiative_transition` is the one writer of `Initiative.state`: it checks `TRANSITIONS`, moves the
row with a conditional UPDATE (so two writers never both move it) and records the event and its audit link.

    filed -> registered -> collecting -> verification -> certified_reached -> vote_scheduled -> recalled
      |-> refused                         |-> certified_not_reached     ^                |-> not_recalled
      |-> withdrawn                                                     '-- vote cancelled <-'
    any state under way -> void (the mandate ended otherwise: resignation, term, the party...)
"""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from esep.core.errors import ApplicationError


class State(models.TextChoices):
    FILED = "filed", gettext_lazy("filed, awaiting registration")
    WITHDRAWN = "withdrawn", gettext_lazy("withdrawn by the initiative group")
    REFUSED = "refused", gettext_lazy("registration refused")
    REGISTERED = "registered", gettext_lazy("registered, signing not yet open")
    COLLECTING = "collecting", gettext_lazy("collecting signatures")
    VERIFICATION = "verification", gettext_lazy("signatures being verified")
    CERTIFIED_REACHED = "certified_reached", gettext_lazy("threshold reached, recall vote to be scheduled")
    CERTIFIED_NOT_REACHED = "certified_not_reached", gettext_lazy("closed: threshold not reached")
    VOTE_SCHEDULED = "vote_scheduled", gettext_lazy("recall vote scheduled")
    RECALLED = "recalled", gettext_lazy("the akim was recalled")
    NOT_RECALLED = "not_recalled", gettext_lazy("closed: the recall vote failed")
    VOID = "void", gettext_lazy("void: the mandate ended otherwise")


S = State
TRANSITIONS: dict[str, frozenset[str]] = {
    S.FILED: frozenset({S.REGISTERED, S.REFUSED, S.WITHDRAWN, S.VOID}),
    S.REGISTERED: frozenset({S.COLLECTING, S.VOID}),
    S.COLLECTING: frozenset({S.VERIFICATION, S.VOID}),
    S.VERIFICATION: frozenset({S.CERTIFIED_REACHED, S.CERTIFIED_NOT_REACHED, S.VOID}),
    S.CERTIFIED_REACHED: frozenset({S.VOTE_SCHEDULED, S.VOID}),
    # Back to certified_reached when the vote was cancelled while the akim still holds the mandate.
    S.VOTE_SCHEDULED: frozenset({S.RECALLED, S.NOT_RECALLED, S.CERTIFIED_REACHED, S.VOID}),
    S.WITHDRAWN: frozenset(),
    S.REFUSED: frozenset(),
    S.CERTIFIED_NOT_REACHED: frozenset(),
    S.RECALLED: frozenset(),
    S.NOT_RECALLED: frozenset(),
    S.VOID: frozenset(),
}
# Under way: at most one of these per mandate (a database constraint).
ACTIVE_STATES: tuple[str, ...] = tuple(state for state, targets in TRANSITIONS.items() if targets)
CLOSED_STATES: tuple[str, ...] = tuple(state for state, targets in TRANSITIONS.items() if not targets)
# A recall of the mandate that failed: counts for the cooldown before another can be registered.
FAILED_STATES: tuple[str, ...] = (S.CERTIFIED_NOT_REACHED, S.NOT_RECALLED)
# Where signatures are taken: online only while collecting; paper sheets also after the close, for lines
# signed within the period.
ONLINE_SIGNING_STATES: tuple[str, ...] = (S.COLLECTING,)
PAPER_ENTRY_STATES: tuple[str, ...] = (S.COLLECTING, S.VERIFICATION)


class By(models.TextChoices):
    """Who moved the initiative, as the public timeline says it (the person is in the audit log)."""

    GROUP = "group", gettext_lazy("initiative group")
    COMMISSION = "commission", gettext_lazy("election commission")
    AKIM = "akim", gettext_lazy("akim")
    PARTY = "party", gettext_lazy("party")
    SYSTEM = "system", gettext_lazy("Esep (on schedule)")


def allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def check_transition(current: str, target: str) -> None:
    if not allowed(current, target):
        raise ApplicationError(
            _("An initiative that is “%(current)s” cannot become “%(target)s”.")
            % {"current": State(current).label, "target": State(target).label},
            code="transition_refused",
            extra={"from": current, "to": target},
        )


class WithdrawalState(models.TextChoices):
    FILED = "filed", gettext_lazy("filed, awaiting the commission")
    REGISTERED = "registered", gettext_lazy("registered: the mandate ended")
    REFUSED = "refused", gettext_lazy("refused by the commission")


WITHDRAWAL_TRANSITIONS: dict[str, frozenset[str]] = {
    WithdrawalState.FILED: frozenset({WithdrawalState.REGISTERED, WithdrawalState.REFUSED}),
    WithdrawalState.REGISTERED: frozenset(),
    WithdrawalState.REFUSED: frozenset(),
}


def check_withdrawal_transition(current: str, target: str) -> None:
    if target not in WITHDRAWAL_TRANSITIONS.get(current, frozenset()):
        raise ApplicationError(
            _("A party's withdrawal that is “%(current)s” cannot become “%(target)s”.")
            % {"current": WithdrawalState(current).label, "target": WithdrawalState(target).label},
            code="transition_refused",
            extra={"from": current, "to": target},
        )
