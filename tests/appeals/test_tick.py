from datetime import date

from django.core.management import call_command
from django.test import override_settings

from esep.appeals import services, tick
from esep.appeals.models import Appeal, AppealEvent, AppealStat, Notification
from esep.core.audit.models import AuditEvent

from .conftest import at


def test_tick_escalates_an_overdue_request_exactly_once(make_appeal, supervisor, staff) -> None:
    overdue = make_appeal(now=at(date(2026, 2, 2)))  # due 23 February
    on_time = make_appeal(now=at(date(2026, 2, 20)))
    answered = make_appeal(now=at(date(2026, 2, 2)))
    services.appeal_answer(actor=staff, appeal=answered, answer="Done", now=at(date(2026, 2, 3)))

    assert tick.run(now=at(date(2026, 2, 23), 20)) == "escalated 0 overdue requests"
    assert tick.run(now=at(date(2026, 2, 24))) == "escalated 1 overdue requests"
    assert tick.run(now=at(date(2026, 2, 24), 11)) == "escalated 0 overdue requests"

    overdue.refresh_from_db()
    assert overdue.escalated_at is not None and overdue.missed
    assert Notification.objects.filter(recipient=supervisor, kind="escalated").count() == 1
    assert AppealEvent.objects.filter(appeal=overdue, kind="escalated").count() == 1
    assert AuditEvent.objects.filter(action="appeals.escalate").count() == 1
    assert not Appeal.private_objects.get(pk=on_time.pk).escalated_at
    assert AppealStat.objects.get(scope="", month=date(2026, 2, 1), category=overdue.category).missed == 1


def test_a_second_concurrent_escalation_of_the_same_request_does_nothing(make_appeal, supervisor) -> None:
    appeal = make_appeal(now=at(date(2026, 2, 2)))
    now = at(date(2026, 2, 24))
    assert services.appeal_escalate(appeal_id=appeal.pk, now=now) is True
    # The other tick had selected the same row before the first one changed it: its conditional UPDATE misses.
    assert services.appeal_escalate(appeal_id=appeal.pk, now=now) is False
    assert Notification.objects.filter(kind="escalated").count() == 1


def test_an_extended_request_is_not_overdue_until_its_new_deadline(make_appeal, staff) -> None:
    appeal = make_appeal(now=at(date(2026, 2, 2)))
    services.appeal_extend(
        actor=staff,
        appeal=appeal,
        new_deadline=date(2026, 3, 20),
        reason="Waiting for the district reply.",
        now=at(date(2026, 2, 10)),
    )
    assert tick.run(now=at(date(2026, 3, 2))) == "escalated 0 overdue requests"
    assert tick.run(now=at(date(2026, 3, 23))) == "escalated 1 overdue requests"


def test_a_late_answer_after_escalation_is_not_counted_missed_twice(make_appeal, staff, supervisor) -> None:
    appeal = make_appeal(now=at(date(2026, 2, 2)))
    tick.run(now=at(date(2026, 2, 24)))
    services.appeal_answer(actor=staff, appeal=appeal, answer="Late but done", now=at(date(2026, 2, 25)))
    stat = AppealStat.objects.get(scope=appeal.kato, month=date(2026, 2, 1), category=appeal.category)
    assert (stat.answered, stat.answered_on_time, stat.missed) == (1, 0, 1)


@override_settings(ESEP_TICK_STEPS=["esep.appeals.tick.run"])
def test_esep_tick_runs_the_escalation_step(make_appeal, supervisor, capsys) -> None:
    make_appeal(now=at(date(2025, 1, 6)))
    call_command("tick")
    assert "esep.appeals.tick.run: escalated 1 overdue requests" in capsys.readouterr().out
