import io
import re
from datetime import date, timedelta

from django.utils import timezone

from esep.core.audit.models import AuditEvent
from esep.training import demo, tick
from esep.training.deadlines import within_a_month
from esep.training.models import (
    AkimPost,
    Competence,
    Enrolment,
    EnrolmentStatus,
    Instruction,
    InstructionStatus,
    Notification,
    NotificationKind,
    Session,
    StaffPosition,
)


def counts() -> tuple:
    return (
        Session.objects.count(),
        StaffPosition.objects.count(),
        Instruction.objects.count(),
        Enrolment.objects.count(),
        Competence.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_demo_loads_once_with_the_seed_instructions_and_one_overdue(akim_a, akim_a2) -> None:
    out = io.StringIO()
    demo.run(out=out)
    assert "training demo: 9 courses" in out.getvalue()
    loaded = counts()
    # Every unit has its akim's post and 3 to 8 staff positions.
    assert AkimPost.objects.count() == 2321
    per_unit = StaffPosition.objects.values("rural_unit").distinct().count()
    assert per_unit == 2321 and 3 * 2321 <= StaffPosition.objects.count() <= 8 * 2321
    status = dict(Instruction.objects.values_list("number", "status"))
    assert status["2025-11-28/4"] == InstructionStatus.OVERDUE
    assert [n for n, s in status.items() if s == InstructionStatus.OVERDUE] == ["2025-11-28/4"]
    assert status["2025-11-28/1"] == InstructionStatus.ACCEPTED
    databases = Instruction.objects.get(number="2025-11-28/4")
    assert "не имеют доступа к государственным базам данных" in databases.text_ru
    assert databases.deadline.isoformat() == "2025-12-29" and databases.text_kk and databases.text_en
    escalated = Notification.objects.filter(kind=NotificationKind.ESCALATION)
    assert {n.assignment.body.code for n in escalated} == {"government", "mdai", "parliament"}
    for enrolment in Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED):
        assert re.fullmatch(r"[A-Z-]+-20\d\d-\d{6}", enrolment.certificate_number)
        assert enrolment.person_id in {akim_a.person_id, akim_a2.person_id}
    # The demo example falls due a few days after loading, so the tick's reminders can be seen.
    example = Instruction.objects.get(number=demo.DEMO_INSTRUCTION.number)
    today = timezone.localdate()
    assert example.status == InstructionStatus.OPEN and example.assignments.count() == 7
    assert 2 <= (example.deadline - today).days <= 7 and example.deadline == within_a_month(example.issued_on)
    again = io.StringIO()
    demo.run(out=again)
    assert "already loaded" in again.getvalue()
    assert counts() == loaded
    assert tick.send_reminders(today=today, now=timezone.now()) == 7


def test_the_demo_example_falls_due_two_to_seven_days_after_any_day_of_loading() -> None:
    day = date(2026, 1, 1)
    while day < date(2029, 1, 1):
        issued_on = demo.demo_instruction_day(day)
        assert issued_on <= day and (within_a_month(issued_on) - day).days in demo.DEMO_DAYS_LEFT_RANGE, day
        assert demo.demo_instruction_day(day) == issued_on
        day += timedelta(days=1)
