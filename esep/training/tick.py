"""`esep tick` step: reminders before instruction deadlines and escalation of overdue assignees.

Reminders: an assignee without a final report gets one a week before the deadline and one the day before
(or on the day); each at most once (a unique row per assignee and kind). A tick that first sees an assignee
a day before the deadline sends only the day reminder: a "week left" message would be wrong by then.
Escalation: the first tick after the deadline marks an open assignee overdue and notifies the level above,
exactly once. The claim is a conditional UPDATE (`overdue_at IS NULL`) tagged with this run's token, so two
ticks running at once cannot both escalate the same assignee; the unique notification row is a second guard.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from esep.core.audit.chain import audit_record
from esep.core.kato import district_code
from esep.core.models import Role
from esep.training.deadlines import days_left
from esep.training.models import (
    AssigneeKind,
    Assignment,
    InstructionStatus,
    Notification,
    NotificationKind,
)
from esep.training.services import instruction_refresh_status

BATCH = 500
REMINDER_KINDS = (NotificationKind.REMINDER_WEEK, NotificationKind.REMINDER_DAY)


def assignee_audience(assignment: Assignment) -> tuple[str, str]:
    """Who answers for an assignee: the unit's akim, the region's supervisors, or (bodies) the analysts."""
    if assignment.kind == AssigneeKind.AKIM:
        return Role.AKIM, assignment.territory.kato
    if assignment.kind == AssigneeKind.REGION:
        return Role.REGION_SUPERVISOR, assignment.territory.kato
    return Role.ANALYST, ""


def escalation_audience(assignment: Assignment) -> tuple[str, str]:
    """The level above: an akim's district supervisors; for regions and bodies, the analysts following up."""
    if assignment.kind == AssigneeKind.AKIM:
        return Role.DISTRICT_SUPERVISOR, district_code(assignment.territory.kato)
    return Role.ANALYST, ""


def _batches(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def send_reminders(*, today: date, now: datetime) -> int:
    candidates = list(
        Assignment.objects.filter(
            status=InstructionStatus.OPEN,
            instruction__deadline__gte=today,
            instruction__deadline__lte=today + timedelta(days=7),
        ).select_related("instruction", "territory")
    )
    if not candidates:
        return 0
    sent = set(
        Notification.objects.filter(
            assignment_id__in=[a.pk for a in candidates], kind__in=REMINDER_KINDS
        ).values_list("assignment_id", "kind")
    )
    rows = []
    for assignment in candidates:
        kind = (
            NotificationKind.REMINDER_DAY
            if days_left(assignment.instruction.deadline, today) <= 1
            else NotificationKind.REMINDER_WEEK
        )
        if (assignment.pk, kind) in sent:
            continue
        role, kato = assignee_audience(assignment)
        rows.append(
            Notification(
                assignment=assignment, kind=kind, audience_role=role, audience_kato=kato, created_at=now
            )
        )
    if not rows:
        return 0
    with transaction.atomic():
        Notification.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
        # The rows stamped with this run's time are the ones this run wrote (a conflict writes nothing).
        written = list(
            Notification.objects.filter(created_at=now, kind__in=REMINDER_KINDS).values_list(
                "assignment_id", "kind"
            )
        )
        if written:
            audit_record(
                actor=None,
                action="training.instruction_remind",
                subject_type="training.notification",
                data={"reminders": sorted([assignment_id, kind] for assignment_id, kind in written)},
            )
    return len(written)


@transaction.atomic
def _escalate_batch(ids: Sequence[int], now: datetime) -> int:
    claim = uuid.uuid4().hex
    claimed = Assignment.objects.filter(
        pk__in=list(ids), status=InstructionStatus.OPEN, overdue_at__isnull=True
    ).update(status=InstructionStatus.OVERDUE, overdue_at=now, escalation_claim=claim)
    if not claimed:
        return 0
    mine = list(Assignment.objects.filter(escalation_claim=claim).select_related("instruction", "territory"))
    notifications = []
    by_instruction = defaultdict(list)
    for assignment in mine:
        role, kato = escalation_audience(assignment)
        notifications.append(
            Notification(
                assignment=assignment,
                kind=NotificationKind.ESCALATION,
                audience_role=role,
                audience_kato=kato,
                created_at=now,
            )
        )
        by_instruction[assignment.instruction_id].append(assignment)
    Notification.objects.bulk_create(notifications, batch_size=BATCH, ignore_conflicts=True)
    for assignments in by_instruction.values():
        instruction = assignments[0].instruction
        instruction_refresh_status(instruction)
        audit_record(
            actor=None,
            action="training.instruction_escalate",
            subject=instruction,
            data={"number": instruction.number, "assignments": sorted(a.pk for a in assignments)},
        )
    return len(mine)


def escalate_overdue(*, today: date, now: datetime) -> int:
    ids = list(
        Assignment.objects.filter(
            status=InstructionStatus.OPEN, overdue_at__isnull=True, instruction__deadline__lt=today
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(_escalate_batch(batch, now) for batch in _batches(ids))


def run(*, now: datetime) -> str:
    today = timezone.localdate(now)
    reminded = send_reminders(today=today, now=now)
    escalated = escalate_overdue(today=today, now=now)
    return f"reminders sent: {reminded}, overdue escalated: {escalated}"
