"""`report_publish`: refused while an update, the meeting, the summary or the budget is missing; publishing
records every update in its promise's timeline, and a published report changes only by erratum."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from esep.accounts.services import role_assign, user_create
from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.core.models import Role
from esep.programs.models import EventKind, PromiseEvent, PromiseStatus
from esep.reports import services
from esep.reports.models import Erratum, Report, ReportStat, ReportStatus
from esep.reports.schedule import add_months
from esep.reports.services import active_promises, report_publish, report_start
from tests.reports.factories import BUDGET, akim_with_program, fill_report, filled_report, program_of


@pytest.mark.django_db
def test_a_report_with_a_missing_promise_update_is_refused_and_names_it(mandate, akim) -> None:
    report = filled_report(mandate, actor=akim)
    last = active_promises(program_of(mandate))[-1]
    report.updates.filter(promise=last).delete()
    with pytest.raises(ApplicationError) as refused:
        report_publish(report=report, actor=akim)
    assert refused.value.code == "incomplete"
    assert refused.value.extra["missing_updates"] == [last.local_id]
    assert last.title in str(refused.value.message)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.published_at is None
    assert not PromiseEvent.objects.filter(source=f"report:{report.pk}").exists()


@pytest.mark.django_db
def test_the_meeting_the_summary_and_both_sides_of_the_budget_are_required(mandate, akim) -> None:
    report = report_start(mandate=mandate, actor=akim)
    with pytest.raises(ApplicationError) as refused:
        report_publish(report=report, actor=akim)
    message = str(refused.value.message)
    assert "reporting meeting" in message and "summary" in message and "budget execution" in message
    services.report_save_budget(
        report=report, lines=[line for line in BUDGET if line.kind == "revenue"], actor=akim
    )
    fill = fill_report(report, actor=akim)
    services.report_save_budget(
        report=fill, lines=[line for line in BUDGET if line.kind == "revenue"], actor=akim
    )
    with pytest.raises(ApplicationError, match="one revenue and one expense"):
        report_publish(report=fill, actor=akim)


@pytest.mark.django_db
def test_a_meeting_dated_after_today_cannot_be_reported_yet(mandate, akim) -> None:
    report = filled_report(mandate, actor=akim)
    services.report_save_details(
        report=report,
        meeting_on=timezone.localdate() + timedelta(days=3),
        meeting_place="Клуб",
        broadcast_url="",
        attendance=10,
        summary="Итоги.",
        actor=akim,
    )
    with pytest.raises(ApplicationError, match="has not taken place yet"):
        report_publish(report=report, actor=akim)


@pytest.mark.django_db
def test_publishing_records_each_update_in_its_promise_timeline(mandate, akim) -> None:
    report = filled_report(mandate, actor=akim)
    promises = active_promises(program_of(mandate))
    now = timezone.now()
    report_publish(report=report, actor=akim, now=now)
    events = {
        event.promise.local_id: event for event in PromiseEvent.objects.filter(source=f"report:{report.pk}")
    }
    assert sorted(events) == sorted(promise.local_id for promise in promises)
    first, second = promises[0], promises[1]
    assert events[first.local_id].kind == EventKind.NO_CHANGE
    assert events[first.local_id].old_status == events[first.local_id].new_status == PromiseStatus.NOT_RATED
    assert events[second.local_id].kind == EventKind.UPDATE
    assert (events[second.local_id].new_status, events[second.local_id].progress) == ("in_progress", 10)
    assert f"/reports/{report.pk}/" in events[second.local_id].evidence_note
    second.refresh_from_db()
    assert (second.status, second.progress, second.spent_kzt) == ("in_progress", 10, 100_000)
    for update in Report.private_objects.get(pk=report.pk).updates.all():
        assert update.event_id == events[update.promise.local_id].pk
        assert update.status_before == PromiseStatus.NOT_RATED


@pytest.mark.django_db
def test_a_published_report_cannot_be_edited_except_by_erratum(mandate, akim) -> None:
    report = filled_report(mandate, actor=akim)
    report_publish(report=report, actor=akim)
    promise = active_promises(program_of(mandate))[0]
    attempts = [
        lambda: services.report_save_details(
            report=report,
            meeting_on=None,
            meeting_place="",
            broadcast_url="",
            attendance=None,
            summary="",
            actor=akim,
        ),
        lambda: services.report_save_budget(report=report, lines=[], actor=akim),
        lambda: services.report_save_update(
            report=report, promise=promise, no_change=True, narrative="Передумали.", actor=akim
        ),
        lambda: report_publish(report=report, actor=akim),
    ]
    for attempt in attempts:
        with pytest.raises(ApplicationError) as refused:
            attempt()
        assert refused.value.code == "published"
    erratum = services.report_add_erratum(
        report=report, text="Явка на сходе была 74, а не 64 человека.", actor=akim
    )
    assert Erratum.objects.filter(report=report).get() == erratum
    assert erratum.published_at is not None
    report.refresh_from_db()
    assert report.attendance == 64 and report.summary.startswith("Отчёт акима")


@pytest.mark.django_db
def test_an_erratum_needs_a_published_report_and_a_real_text(mandate, akim) -> None:
    report = filled_report(mandate, actor=akim)
    with pytest.raises(ApplicationError) as draft:
        services.report_add_erratum(report=report, text="Исправление текста отчёта.", actor=akim)
    assert draft.value.code == "not_published"
    report_publish(report=report, actor=akim)
    with pytest.raises(ApplicationError):
        services.report_add_erratum(report=report, text="ой", actor=akim)


@pytest.mark.django_db
def test_days_late_count_from_the_due_date(reference, unit_a2) -> None:
    mandate = akim_with_program(unit_a2, due_in_days=-7)
    report = filled_report(mandate)
    published = report_publish(report=report, actor=None)
    assert published.days_late == 7
    assert ReportStat.objects.get(unit=unit_a2).late == 1


@pytest.mark.django_db
def test_publishing_updates_the_units_summary_row(mandate, akim) -> None:
    report = filled_report(mandate, actor=akim)
    report_publish(report=report, actor=akim)
    stat = ReportStat.objects.get(unit=mandate.rural_unit)
    assert (stat.mandate_id, stat.due, stat.published, stat.on_time, stat.overdue) == (mandate.pk, 1, 1, 1, 0)
    assert stat.last_report_id == report.pk
    assert stat.next_due_on == add_months(mandate.starts_on, 12) and stat.next_sequence == 2


@pytest.mark.django_db
def test_subscribers_get_an_email_after_the_commit(
    mandate, akim, unit_a, django_capture_on_commit_callbacks
) -> None:
    subscriber = user_create(username="reader", password=None, email="reader@example.org")
    role_assign(user=subscriber, role=Role.RESIDENT, territory=unit_a)
    services.subscription_set(user=subscriber, unit=unit_a, subscribed=True)
    silent = user_create(username="no-mail", password=None)
    services.subscription_set(user=silent, unit=unit_a, subscribed=True)
    report = filled_report(mandate, actor=akim)
    with django_capture_on_commit_callbacks(execute=True):
        report_publish(report=report, actor=akim, site_url="https://esep.example")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.org"]
    assert f"https://esep.example/reports/{report.pk}/" in mail.outbox[0].body


@pytest.mark.django_db
def test_publishing_is_audited_with_the_timeline_entries(mandate, akim) -> None:
    report = filled_report(mandate, actor=akim)
    report_publish(report=report, actor=akim)
    event = AuditEvent.objects.filter(action="reports.publish").get()
    assert event.actor_id == akim.pk and event.territory == mandate.rural_unit.kato
    assert len(event.data["events"]) == len(active_promises(program_of(mandate)))
