"""The summary table `ReportStat` says what a direct count says, and area figures add its rows up."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from esep.elections.services import mandate_end
from esep.programs.services import rule_set_publish
from esep.reports import demo as reports_demo
from esep.reports import tick
from esep.reports.models import ReportStat
from esep.reports.services import report_rate
from esep.reports.stats import area_timeliness, stale_unit_ids, stats_rebuild, timeliness_by
from tests.reports.factories import akim_with_program, published_report


@pytest.mark.django_db
def test_the_row_matches_a_direct_count_of_the_schedule(reference, unit_a, unit_a2, make_user) -> None:
    # Unit A: first report published 7 days late, second due in ~5 months. Unit A2: two due dates passed,
    # nothing published.
    late = akim_with_program(unit_a, due_in_days=-7)
    published_report(late)
    missing = akim_with_program(unit_a2, due_in_days=-200)
    stats_rebuild([unit_a.pk, unit_a2.pk], today=timezone.localdate())
    a = ReportStat.objects.get(unit=unit_a)
    assert (a.due, a.published, a.on_time, a.late, a.days_late_total, a.overdue) == (1, 1, 0, 1, 7, 0)
    a2 = ReportStat.objects.get(unit=unit_a2)
    assert (a2.due, a2.published, a2.overdue) == (2, 0, 2)
    assert a2.overdue_since == timezone.localdate() - timedelta(days=200)
    assert len(a2.missed) == 2 and a2.mandate_id == missing.pk


@pytest.mark.django_db
def test_area_figures_add_up_the_rows(reference, unit_a, unit_a2, unit_b, make_user) -> None:
    from esep.core.models import Role

    on_time = akim_with_program(unit_a, due_in_days=5)
    report = published_report(on_time)
    report_rate(report=report, user=make_user(Role.RESIDENT, unit_a), stars=4)
    akim_with_program(unit_a2, due_in_days=-30)
    akim_with_program(unit_b, due_in_days=-30)
    stats_rebuild([unit_a.pk, unit_a2.pk, unit_b.pk], today=timezone.localdate())
    district = area_timeliness(unit_a.code_prefix[:4])
    assert (district.units, district.units_overdue, district.due, district.on_time) == (2, 1, 2, 1)
    assert district.on_time_share == 0.5 and district.average_rating == 4.0
    country = area_timeliness("")
    assert (country.units, country.units_overdue) == (3, 2)
    by_region = timeliness_by("region", "")
    assert by_region[unit_a.region_code].units == 2 and by_region[unit_b.region_code].units == 1


@pytest.mark.django_db
def test_tick_finds_rows_gone_stale(reference, unit_a) -> None:
    mandate = akim_with_program(unit_a, due_in_days=3)
    today = timezone.localdate()
    assert unit_a.pk in stale_unit_ids(today=today, limit=100)  # no row yet
    tick.run(now=timezone.now())
    assert stale_unit_ids(today=today, limit=100) == []
    assert unit_a.pk in stale_unit_ids(today=today + timedelta(days=4), limit=100)  # the due date passed
    mandate_end(mandate=mandate, on=today, reason="resignation", note="Отставка.")
    assert unit_a.pk in stale_unit_ids(today=today, limit=100)  # the akim changed
    tick.run(now=timezone.now())
    stat = ReportStat.objects.get(unit=unit_a)
    assert stat.mandate_id is None and stat.due == 0
    rule_set_publish(
        version="T-2",
        effective_from=date(2001, 1, 1),
        parameters={"max_local_budget_share": 0.3, "report_period_months": 3},
    )
    assert unit_a.pk in stale_unit_ids(today=today, limit=100)  # a rule set changed the schedule


@pytest.mark.django_db
def test_the_demos_last_step_rebuilds_rows_a_later_step_left_stale(reference, unit_a) -> None:
    mandate = akim_with_program(unit_a, due_in_days=3)
    stats_rebuild([unit_a.pk], today=timezone.localdate())
    mandate_end(mandate=mandate, on=timezone.localdate(), reason="resignation", note="Отставка.")
    out = io.StringIO()
    reports_demo.run_summaries(out=out)
    stat = ReportStat.objects.get(unit=unit_a)
    assert stat.mandate_id is None and stat.due == 0
    assert "1 stale summary rows rebuilt" in out.getvalue()
    assert stale_unit_ids(today=timezone.localdate(), limit=100) == []
