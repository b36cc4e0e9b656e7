from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from esep.core.audit.models import AuditEvent
from esep.core.models import Role
from esep.training import services, tick
from esep.training.models import Assignment, Instruction, InstructionStatus, Notification, NotificationKind
from tests.training.factories import make_instruction


def moment(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_week_and_a_day_before_the_deadline_each_open_assignee_is_reminded_once(
    unit_a, unit_a2, today
) -> None:
    instruction = make_instruction(
        units=(unit_a, unit_a2), bodies=("government",), deadline=today + timedelta(days=7)
    )
    done = instruction.assignments.get(territory=unit_a2)
    services.report_file(assignment=done, text="Сделано", is_final=True)
    assert tick.send_reminders(today=today, now=moment(today)) == 2
    assert tick.send_reminders(today=today, now=moment(today) + timedelta(minutes=1)) == 0
    week = Notification.objects.filter(kind=NotificationKind.REMINDER_WEEK)
    assert {(n.audience_role, n.audience_kato) for n in week} == {
        (Role.AKIM, unit_a.kato),
        (Role.ANALYST, ""),
    }
    later = today + timedelta(days=6)
    assert tick.send_reminders(today=later, now=moment(later)) == 2
    assert tick.send_reminders(today=later, now=moment(later) + timedelta(hours=1)) == 0
    assert Notification.objects.filter(kind=NotificationKind.REMINDER_DAY).count() == 2
    assert not Notification.objects.filter(assignment=done).exists()
    assert AuditEvent.objects.filter(action="training.instruction_remind").count() == 2


def test_a_tick_that_first_sees_an_assignee_the_day_before_sends_only_the_day_reminder(unit_a, today) -> None:
    make_instruction(units=(unit_a,), deadline=today + timedelta(days=1))
    assert tick.send_reminders(today=today, now=moment(today)) == 1
    assert list(Notification.objects.values_list("kind", flat=True)) == [NotificationKind.REMINDER_DAY]


def test_an_open_assignee_past_the_deadline_is_flagged_and_escalated_exactly_once(
    unit_a, unit_a2, today
) -> None:
    issued = today - timedelta(days=40)
    instruction = make_instruction(
        units=(unit_a, unit_a2), issued_on=issued, deadline=today - timedelta(days=1)
    )
    services.report_file(
        assignment=instruction.assignments.get(territory=unit_a2), text="Готово", is_final=True
    )
    assert "overdue escalated: 1" in tick.run(now=moment(today))
    assert "overdue escalated: 0" in tick.run(now=moment(today) + timedelta(minutes=1))
    overdue = Assignment.objects.get(territory=unit_a)
    assert overdue.status == InstructionStatus.OVERDUE and overdue.overdue_at == moment(today)
    escalation = Notification.objects.get(kind=NotificationKind.ESCALATION)
    assert (escalation.assignment_id, escalation.audience_role, escalation.audience_kato) == (
        overdue.pk,
        Role.DISTRICT_SUPERVISOR,
        unit_a.district_code,
    )
    assert Instruction.objects.get(pk=instruction.pk).status == InstructionStatus.OVERDUE
    assert AuditEvent.objects.filter(action="training.instruction_escalate").count() == 1
    assert Assignment.objects.get(territory=unit_a2).status == InstructionStatus.REPORTED


def test_a_late_final_report_clears_the_flag_and_a_return_brings_it_back_without_a_second_escalation(
    unit_a, today
) -> None:
    instruction = make_instruction(
        units=(unit_a,), issued_on=today - timedelta(days=40), deadline=today - timedelta(days=2)
    )
    tick.run(now=moment(today))
    assignment = instruction.assignments.get()
    report = services.report_file(assignment=assignment, text="С опозданием", is_final=True)
    assignment.refresh_from_db()
    assert assignment.status == InstructionStatus.REPORTED and assignment.overdue_at is not None
    services.report_review(report=report, accept=False, note="Неполно")
    assignment.refresh_from_db()
    assert assignment.status == InstructionStatus.OVERDUE
    tick.run(now=moment(today) + timedelta(hours=1))
    assert Notification.objects.filter(kind=NotificationKind.ESCALATION).count() == 1


def test_a_report_returned_after_the_deadline_is_escalated_by_the_next_tick(unit_a, today) -> None:
    instruction = make_instruction(
        units=(unit_a,), issued_on=today - timedelta(days=40), deadline=today - timedelta(days=2)
    )
    report = services.report_file(assignment=instruction.assignments.get(), text="В срок", is_final=True)
    assert "overdue escalated: 0" in tick.run(now=moment(today))
    services.report_review(report=report, accept=False, note="Переделать")
    assert "overdue escalated: 1" in tick.run(now=moment(today) + timedelta(minutes=5))


def test_a_stale_second_claim_escalates_nothing(unit_a, unit_a2, today) -> None:
    instruction = make_instruction(
        units=(unit_a, unit_a2), issued_on=today - timedelta(days=40), deadline=today - timedelta(days=1)
    )
    ids = list(instruction.assignments.values_list("pk", flat=True))
    # Two runs that both read the same candidates before either wrote: only the first claim succeeds.
    assert tick._escalate_batch(ids, moment(today)) == 2
    assert tick._escalate_batch(ids, moment(today) + timedelta(seconds=1)) == 0
    assert Notification.objects.filter(kind=NotificationKind.ESCALATION).count() == 2


def test_a_tick_that_read_its_candidates_before_another_tick_escalated_them_escalates_nothing(
    unit_a, unit_a2, today, monkeypatch
) -> None:
    make_instruction(
        units=(unit_a, unit_a2), issued_on=today - timedelta(days=40), deadline=today - timedelta(days=1)
    )
    claim = tick._escalate_batch
    summaries = []

    def other_tick_runs_first(ids, now):  # noqa: ANN001, ANN202
        # The race: between this run's read of the candidates and its claim, a second tick does all the work.
        monkeypatch.setattr(tick, "_escalate_batch", claim)
        summaries.append(tick.run(now=now + timedelta(seconds=1)))
        return claim(ids, now)

    monkeypatch.setattr(tick, "_escalate_batch", other_tick_runs_first)
    summaries.append(tick.run(now=moment(today)))
    assert [s.split(", ")[1] for s in summaries] == ["overdue escalated: 2", "overdue escalated: 0"]
    assert Notification.objects.filter(kind=NotificationKind.ESCALATION).count() == 2
    escalated = [
        pk
        for e in AuditEvent.objects.filter(action="training.instruction_escalate")
        for pk in e.data["assignments"]
    ]
    assert sorted(escalated) == sorted(Assignment.objects.values_list("pk", flat=True))


def test_esep_tick_runs_the_training_step(unit_a, today, capsys, settings) -> None:
    assert "esep.training.tick.run" in settings.ESEP_TICK_STEPS
    settings.ESEP_TICK_STEPS = ["esep.training.tick.run"]  # other apps' steps are their tests' business
    make_instruction(
        units=(unit_a,), issued_on=today - timedelta(days=40), deadline=today - timedelta(days=1)
    )
    call_command("tick")
    out = capsys.readouterr().out
    assert "esep.training.tick.run: reminders sent: 0, overdue escalated: 1" in out
