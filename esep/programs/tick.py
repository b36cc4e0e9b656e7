"""`esep tick` step of the promise tracker.

1. A sitting akim's promise still open more than `overdue_to_broken_days` (rule set in force) after its
   deadline counts as broken: it is marked so, with an entry in its timeline, unless the district
   supervisor approved an extension whose new date has not passed (`PromiseExtension`).
2. Summary rows that have gone stale are recomputed: a deadline passed since they were computed (so the
   overdue count moved), or the unit's akim changed in the elections app, which does not call this app.
"""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from esep.programs.models import OPEN_PROMISE_STATUSES, ExtensionStatus, PromiseExtension
from esep.programs.selectors import rule_set_in_force, tracked_promises
from esep.programs.services import promise_mark_deadline_missed, promise_stats_refresh
from esep.programs.stats import stale_unit_ids

BATCH = 500


def run(*, now: datetime) -> str:
    today = timezone.localdate(now)
    marked = 0
    rule_set = rule_set_in_force(today)
    if rule_set is not None:
        grace = rule_set.overdue_to_broken_days
        extended = PromiseExtension.objects.filter(
            promise__program__candidacy_id=OuterRef("program__candidacy_id"),
            promise__local_id=OuterRef("local_id"),
            status=ExtensionStatus.APPROVED,
            new_deadline__gte=today,
        )
        while True:
            candidates = list(
                tracked_promises(today=today)
                .filter(
                    status__in=OPEN_PROMISE_STATUSES,
                    removed_in__isnull=True,
                    deadline__lt=today - timedelta(days=grace),
                )
                .exclude(Exists(extended))
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            taken = sum(
                promise_mark_deadline_missed(promise_id=promise_id, now=now, grace_days=grace)
                for promise_id in candidates
            )
            marked += taken
            if len(candidates) < BATCH or not taken:
                break
    refreshed = promise_stats_refresh(unit_ids=stale_unit_ids(today=today, limit=BATCH), on=today)
    return f"{marked} promises past their deadline marked broken, {refreshed} summary rows refreshed"
