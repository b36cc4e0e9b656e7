"""`esep tick` step: escalate every request past its deadline to the district supervisor, once."""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from esep.appeals.models import OPEN_STATUSES, Appeal
from esep.appeals.services import appeal_escalate

BATCH = 500


def overdue_candidates(now: datetime) -> list[int]:
    today = timezone.localdate(now)
    overdue = Q(extended_deadline__lt=today) | Q(extended_deadline__isnull=True, deadline__lt=today)
    return list(
        Appeal.private_objects.filter(status__in=OPEN_STATUSES, escalated_at__isnull=True)
        .filter(overdue)
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH]
    )


def run(*, now: datetime) -> str:
    """Each escalation is one transaction guarded by a conditional UPDATE: two ticks never both escalate."""
    escalated = 0
    while True:
        candidates = overdue_candidates(now)
        taken = sum(appeal_escalate(appeal_id=appeal_id, now=now) for appeal_id in candidates)
        escalated += taken
        if len(candidates) < BATCH or not taken:
            break
    return f"escalated {escalated} overdue requests"
