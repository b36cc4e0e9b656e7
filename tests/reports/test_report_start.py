"""`report_start`: the draft of the next report owed, oldest first, once its period has begun."""

from datetime import timedelta

import pytest
from django.utils import timezone

from esep.core.errors import ApplicationError
from esep.elections.services import mandate_end
from esep.reports.models import Report, ReportStatus
from esep.reports.services import report_start
from tests.reports.factories import akim_with_program, published_report


@pytest.mark.django_db
def test_it_starts_the_first_period_of_the_mandate(mandate, akim) -> None:
    report = report_start(mandate=mandate, actor=akim)
    assert (report.sequence, report.status) == (1, ReportStatus.DRAFT)
    assert report.period_start == mandate.starts_on
    assert report.due_on == timezone.localdate() + timedelta(days=10)
    assert report.rural_unit_id == mandate.rural_unit_id


@pytest.mark.django_db
def test_a_second_start_returns_the_same_draft(mandate, akim) -> None:
    first = report_start(mandate=mandate, actor=akim)
    assert report_start(mandate=mandate, actor=akim).pk == first.pk
    assert Report.private_objects.filter(mandate=mandate).count() == 1


@pytest.mark.django_db
def test_after_a_published_report_it_starts_the_next_period(mandate, akim) -> None:
    published_report(mandate, actor=akim)
    with pytest.raises(ApplicationError) as early:
        report_start(mandate=mandate, actor=akim)
    assert early.value.code == "too_early"
    later = timezone.localdate() + timedelta(days=11)
    report = report_start(mandate=mandate, actor=akim, today=later)
    assert report.sequence == 2 and report.period_start == timezone.localdate() + timedelta(days=10)


@pytest.mark.django_db
def test_an_overdue_period_comes_first(reference, unit_a2, make_user) -> None:
    # Two due dates have passed: the report of the first one is owed first.
    mandate = akim_with_program(unit_a2, due_in_days=-200)
    report = report_start(mandate=mandate, actor=None)
    assert report.sequence == 1 and report.due_on < timezone.localdate() - timedelta(days=150)


@pytest.mark.django_db
def test_an_ended_mandate_owes_no_more_reports(mandate, akim) -> None:
    mandate_end(mandate=mandate, on=timezone.localdate(), reason="resignation", note="Ушёл в отставку.")
    with pytest.raises(ApplicationError) as ended:
        report_start(mandate=mandate, actor=akim)
    assert ended.value.code == "mandate_ended"
