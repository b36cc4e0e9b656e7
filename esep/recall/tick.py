"""`esep tick` step: open and close signing periods on their dates, and follow mandates and recall votes.

Each move is one transition guarded by a conditional UPDATE on the state read (`initiative_transition`), so
two ticks running at once move an initiative once; the loser writes nothing.
"""

from collections.abc import Callable
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from esep.recall.models import Initiative
from esep.recall.services import initiative_close_signing, initiative_open_signing, initiative_settle
from esep.recall.states import ACTIVE_STATES, State

BATCH = 200


def _each(queryset: QuerySet[Initiative], step: Callable[[Initiative], bool]) -> int:
    """Apply `step` to every matching initiative, a batch at a time, until a batch moves nothing."""
    moved = 0
    while True:
        batch = list(queryset.select_related("rural_unit", "recall_vote").order_by("pk")[:BATCH])
        taken = sum(bool(step(initiative)) for initiative in batch)
        moved += taken
        if len(batch) < BATCH or not taken:
            return moved


def run(*, now: datetime) -> str:
    today = timezone.localdate(now)
    # Mandates that ended otherwise, and recall votes decided or cancelled on the elections pages.
    followed = Initiative.objects.filter(state__in=ACTIVE_STATES).filter(
        Q(mandate__ended_on__isnull=False)
        | Q(state=State.VOTE_SCHEDULED, recall_vote__status__in=["certified", "cancelled"])
    )
    settled = _each(followed, lambda i: initiative_settle(initiative=i, now=now) is not None)
    due = Initiative.objects.filter(state=State.REGISTERED, signing_opens_on__lte=today)
    opened = _each(due, lambda i: initiative_open_signing(initiative=i, now=now))
    ended = Initiative.objects.filter(state=State.COLLECTING, signing_closes_on__lt=today)
    closed = _each(ended, lambda i: initiative_close_signing(initiative=i, now=now))
    return f"recall: signing opened in {opened}, closed in {closed}; {settled} followed their mandate or vote"
