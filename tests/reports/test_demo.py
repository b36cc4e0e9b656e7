"""`esep demo` gives every sitting akim its past reports (updates, ratings, verdicts, questions), some
units overdue; the demo accounts' unit gets a draft to finish and a question to answer; a second run does
nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from esep.core.audit.models import AuditEvent
from esep.demo.accounts import ensure_demo_accounts
from esep.programs.demo import run_programs
from esep.programs.models import EventKind, PromiseEvent
from esep.reports import demo
from esep.reports.models import Question, Rating, Report, ReportStat, ReportStatus, ReportUpdate
from esep.reports.stats import mandate_schedule, rule_periods
from tests.elections.factories import make_sitting_akim
from tests.programs.factories import reference_data


@pytest.fixture
def sitting(unit_a, unit_a2, unit_b):
    reference_data(unit_a, unit_a2, unit_b)
    ensure_demo_accounts()
    start = timezone.localdate() - timedelta(days=400)
    mandates = [make_sitting_akim(unit, starts_on=start) for unit in (unit_a, unit_a2, unit_b)]
    run_programs(out=StringIO())
    return mandates


@pytest.mark.django_db
def test_every_sitting_akim_gets_its_past_reports_with_an_update_per_active_promise(sitting) -> None:
    out = StringIO()
    demo.run(out=out)
    assert "published reports" in out.getvalue()
    today = timezone.localdate()
    for mandate in sitting:
        past = [p for p in mandate_schedule(mandate, rule_periods()) if p.due_on < today]
        published = Report.public_objects.filter(mandate=mandate)
        assert len(past) - 1 <= published.count() <= len(past)  # the latest may be overdue
        for report in published:
            assert report.meeting_on <= report.published_at.date() and report.summary
            assert {"revenue", "expense"} <= set(report.budget_lines.values_list("kind", flat=True))
            assert report.days_late == max((timezone.localdate(report.published_at) - report.due_on).days, 0)
            for update in report.updates.select_related("event"):
                assert update.event is not None and update.event.at <= report.published_at
                if update.no_change:
                    assert update.event.kind == EventKind.NO_CHANGE
                    assert update.event.source == f"report:{report.pk}"
    assert ReportUpdate.objects.exists() and Rating.private_objects.exists()


@pytest.mark.django_db
def test_counters_equal_the_rows_they_count(sitting) -> None:
    demo.run(out=StringIO())
    ratings = Report.public_objects.annotate(n=Count("ratings"), total=Sum("ratings__stars"))
    assert not ratings.exclude(rating_count=F("n")).exists()
    assert all((report.total or 0) == report.rating_sum for report in ratings)
    verdicts = ReportUpdate.objects.annotate(
        agree=Count("verdicts", filter=Q(verdicts__verdict="agree")),
        disagree=Count("verdicts", filter=Q(verdicts__verdict="disagree")),
    )
    assert not verdicts.exclude(agree_count=F("agree"), disagree_count=F("disagree")).exists()
    for stat in ReportStat.objects.filter(mandate_id__isnull=False):
        published = Report.public_objects.filter(mandate_id=stat.mandate_id)
        assert stat.published == published.count()
        assert stat.rating_count == sum(published.values_list("rating_count", flat=True))


@pytest.mark.django_db
def test_the_demo_unit_has_a_draft_to_finish_and_a_question_to_answer(sitting, unit_a) -> None:
    demo.run(out=StringIO())
    draft = Report.private_objects.get(rural_unit=unit_a, status=ReportStatus.DRAFT)
    assert draft.updates.count() >= 1
    waiting = Question.moderation_objects.filter(
        report__rural_unit=unit_a, answered_at__isnull=True, hidden_at__isnull=True
    )
    assert waiting.exists()
    assert Question.moderation_objects.filter(report__rural_unit=unit_a, hidden_at__isnull=False).exists()


@pytest.mark.django_db
def test_open_promises_past_their_deadline_get_their_overdue_entry(sitting) -> None:
    demo.run(out=StringIO())
    from esep.programs.models import OPEN_PROMISE_STATUSES, Promise

    late = Promise.objects.filter(
        status__in=OPEN_PROMISE_STATUSES, deadline__lt=timezone.localdate(), program__status="published"
    )
    for promise in late:
        assert PromiseEvent.objects.filter(promise=promise, kind=EventKind.OVERDUE).count() == 1


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_the_first_audits_per_batch(sitting) -> None:
    demo.run(out=StringIO())
    counts = (Report.private_objects.count(), PromiseEvent.objects.count(), AuditEvent.objects.count())
    assert AuditEvent.objects.filter(action="reports.demo_batch").count() == 1
    again = StringIO()
    demo.run(out=again)
    assert again.getvalue() == "reports demo: already loaded\n"
    assert (
        Report.private_objects.count(),
        PromiseEvent.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
