"""`esep tick` step of the reports app, safe to run every minute and twice at once.

1. Summary rows gone stale are recomputed: a due date passed since they were computed (so a report may be
   overdue now), the unit's akim changed, a sitting akim has no row yet, or a rule set was published.
2. A promise of a sitting akim whose deadline has passed without being kept turns overdue at once: its
   timeline gets one "overdue" entry, audited (`esep.programs.services.promise_mark_overdue`; the row lock and
   the re-check there make a second tick do nothing).
3. Reminders 14 and 3 days before a due date go to the akim and the akimat staff, and an overdue notice to the
   district supervisors, once each per due date and recipient (a unique constraint decides).
"""

from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from esep.programs.models import OPEN_PROMISE_STATUSES, EventKind, PromiseEvent
from esep.programs.selectors import tracked_promises
from esep.programs.services import promise_mark_overdue
from esep.reports.services import overdue_notify, reminders_send, report_stats_refresh
from esep.reports.stats import stale_unit_ids

BATCH = 500
MAX_OVERDUE_PER_RUN = 5000  # a first run over old data goes on at the next tick rather than hold the lease


def overdue_candidates(*, today: object, after_id: int) -> list[int]:
    marked = PromiseEvent.objects.filter(
        kind=EventKind.OVERDUE,
        promise__program__candidacy_id=OuterRef("program__candidacy_id"),
        promise__local_id=OuterRef("local_id"),
        at__date__gt=OuterRef("deadline"),
    )
    return list(
        tracked_promises(today=today)
        .filter(
            status__in=OPEN_PROMISE_STATUSES, removed_in__isnull=True, deadline__lt=today, pk__gt=after_id
        )
        .exclude(Exists(marked))
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH]
    )


def run(*, now: datetime) -> str:
    today = timezone.localdate(now)
    refreshed = 0
    while True:
        stale = stale_unit_ids(today=today, limit=BATCH)
        if not stale:
            break
        changed = report_stats_refresh(unit_ids=stale, on=today)
        refreshed += len(stale)
        if len(stale) < BATCH or not changed:
            break
    overdue = 0
    after_id = 0
    while overdue < MAX_OVERDUE_PER_RUN:
        candidates = overdue_candidates(today=today, after_id=after_id)
        if not candidates:
            break
        overdue += sum(promise_mark_overdue(promise_id=promise_id, now=now) for promise_id in candidates)
        after_id = candidates[-1]
    reminders = reminders_send(now=now)
    notices = overdue_notify(now=now)
    return (
        f"{refreshed} report summary rows checked, {overdue} promises turned overdue, "
        f"{reminders} report reminders and {notices} overdue notices sent"
    )
