"""`esep tick` for reports: reminders 14 and 3 days before a due date and the overdue notice, once each;
promises overdue at once; summary rows refreshed when a due date passes; safe to run twice at once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from esep.core.audit.models import AuditEvent
from esep.programs.models import EventKind, PromiseEvent, PromiseStatus
from esep.reports import services, tick
from esep.reports.models import NotificationKind, ReportNotification, ReportStat
from esep.reports.services import active_promises
from tests.reports.factories import at_noon, program_of, published_report


def notices(kind: str) -> list[tuple[int, object]]:
    return sorted(ReportNotification.objects.filter(kind=kind).values_list("recipient_id", "due_on"))


@pytest.mark.django_db
def test_the_14_day_reminder_goes_to_the_akim_and_staff_once(mandate, akim, staff) -> None:
    due = timezone.localdate() + timedelta(days=10)
    tick.run(now=timezone.now())
    tick.run(now=timezone.now())
    assert notices(NotificationKind.REMINDER_14) == sorted([(akim.pk, due), (staff.pk, due)])
    assert not notices(NotificationKind.REMINDER_3)


@pytest.mark.django_db
def test_the_3_day_reminder_follows_once(mandate, akim, staff) -> None:
    due = timezone.localdate() + timedelta(days=10)
    tick.run(now=timezone.now())
    for day in (due - timedelta(days=3), due - timedelta(days=2), due - timedelta(days=1)):
        tick.run(now=at_noon(day))
    assert notices(NotificationKind.REMINDER_3) == sorted([(akim.pk, due), (staff.pk, due)])
    assert len(notices(NotificationKind.REMINDER_14)) == 2


@pytest.mark.django_db
def test_no_reminder_more_than_14_days_ahead_nor_for_a_published_report(mandate, akim, staff) -> None:
    tick.run(now=at_noon(timezone.localdate() - timedelta(days=5)))  # 15 days before the due date
    assert not ReportNotification.objects.exists()
    published_report(mandate, actor=akim)
    tick.run(now=timezone.now())
    assert not ReportNotification.objects.filter(kind__startswith="reminder").exists()


@pytest.mark.django_db
def test_the_district_supervisor_is_told_once_when_a_report_is_overdue(mandate, akim, supervisor) -> None:
    due = timezone.localdate() + timedelta(days=10)
    tick.run(now=timezone.now())
    assert ReportStat.objects.get(unit=mandate.rural_unit).overdue == 0
    late = at_noon(due + timedelta(days=1))
    tick.run(now=late)
    tick.run(now=late + timedelta(days=1))
    assert notices(NotificationKind.OVERDUE) == [(supervisor.pk, due)]
    stat = ReportStat.objects.get(unit=mandate.rural_unit)
    assert (stat.overdue, stat.overdue_since, stat.missed) == (1, due, [due.isoformat()])
    assert not ReportNotification.objects.filter(kind=NotificationKind.OVERDUE, recipient=akim).exists()


@pytest.mark.django_db
def test_two_ticks_that_both_missed_each_others_rows_still_send_each_reminder_once(
    mandate, akim, staff, monkeypatch
) -> None:
    tick.run(now=timezone.now())  # the summary row
    ReportNotification.objects.all().delete()
    # Both runs read the notifications before either wrote: the unique constraint is what stops the second.
    monkeypatch.setattr(services, "_existing", lambda kinds, mandate_ids: set())
    first = services.reminders_send(now=timezone.now())
    second = services.reminders_send(now=timezone.now())
    assert (first, second) == (2, 0)
    assert ReportNotification.objects.count() == 2


@pytest.mark.django_db
def test_a_promise_turns_overdue_at_once_when_its_deadline_passes_and_only_once(mandate) -> None:
    promise = active_promises(program_of(mandate))[0]
    tick.run(now=at_noon(promise.deadline))
    assert not PromiseEvent.objects.filter(kind=EventKind.OVERDUE).exists()
    after = at_noon(promise.deadline + timedelta(days=1))
    tick.run(now=after)
    tick.run(now=after + timedelta(hours=1))
    events = PromiseEvent.objects.filter(kind=EventKind.OVERDUE)
    # Every promise of the program has the same deadline in the factory: each gets exactly one entry.
    assert sorted(events.values_list("promise__local_id", flat=True)) == ["P1", "P2", "P3"]
    event = events.get(promise=promise)
    assert event.old_status == event.new_status == PromiseStatus.NOT_RATED and event.source == "esep tick"
    assert AuditEvent.objects.filter(action="programs.promise_overdue").count() == 3
    promise.refresh_from_db()
    assert promise.status == PromiseStatus.NOT_RATED and promise.is_overdue(after.date())


@pytest.mark.django_db
def test_a_kept_promise_never_turns_overdue(mandate, akim) -> None:
    from esep.programs.services import promise_record_update

    promise = active_promises(program_of(mandate))[0]
    promise_record_update(
        promise=promise,
        status="kept",
        progress=100,
        spent_kzt=None,
        narrative="Готово.",
        actor=None,
        source="test",
    )
    tick.run(now=at_noon(promise.deadline + timedelta(days=2)))
    assert not PromiseEvent.objects.filter(kind=EventKind.OVERDUE, promise=promise).exists()


@pytest.mark.django_db
def test_esep_tick_runs_the_reports_step(mandate, akim) -> None:
    out = StringIO()
    call_command("tick", stdout=out)
    assert "esep.reports.tick.run: 1 report summary rows checked" in out.getvalue()
    assert "2 report reminders" not in out.getvalue()  # only the akim holds a role in the unit here
    assert "1 report reminders" in out.getvalue()
