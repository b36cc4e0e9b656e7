"""The report schedule: pure date arithmetic (no database)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from esep.reports.schedule import Period, RulePeriod, add_months, report_schedule, standing

SIX = [RulePeriod(date(2000, 1, 1), 6)]


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(-240, 240))
def test_adding_months_keeps_the_day_or_takes_the_last_of_a_shorter_month(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(days=1)).day == 1)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 1, 1)), st.integers(1, 24))
def test_periods_tile_the_term_without_gaps_and_end_with_it(start: date, months: int) -> None:
    end = add_months(start, 48)
    periods = report_schedule(
        starts_on=start, ends_on=end, ended_on=None, rules=[RulePeriod(date(1990, 1, 1), months)]
    )
    assert periods[0].starts_on == start and periods[-1].due_on == end
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.starts_on == before.due_on and after.sequence == before.sequence + 1
    assert all(period.starts_on < period.due_on for period in periods)


def test_a_four_year_term_has_eight_reports_six_months_apart() -> None:
    periods = report_schedule(
        starts_on=date(2025, 7, 20), ends_on=date(2029, 7, 20), ended_on=None, rules=SIX
    )
    assert [p.due_on for p in periods][:3] == [date(2026, 1, 20), date(2026, 7, 20), date(2027, 1, 20)]
    assert len(periods) == 8 and periods[-1].due_on == date(2029, 7, 20)


def test_months_count_from_the_start_so_the_31st_does_not_drift() -> None:
    periods = report_schedule(
        starts_on=date(2025, 8, 31), ends_on=date(2029, 8, 31), ended_on=None, rules=SIX
    )
    assert [p.due_on for p in periods][:3] == [date(2026, 2, 28), date(2026, 8, 31), date(2027, 2, 28)]


def test_a_period_that_does_not_divide_the_term_ends_with_a_shorter_last_period() -> None:
    rules = [RulePeriod(date(2000, 1, 1), 5)]
    periods = report_schedule(
        starts_on=date(2025, 1, 1), ends_on=date(2029, 1, 1), ended_on=None, rules=rules
    )
    assert len(periods) == 10
    assert periods[-2].due_on == date(2028, 10, 1) and periods[-1].due_on == date(2029, 1, 1)


def test_nothing_is_owed_before_the_first_rule_set_nor_without_one() -> None:
    rules = [RulePeriod(date(2026, 1, 1), 6)]
    periods = report_schedule(
        starts_on=date(2023, 11, 5), ends_on=date(2027, 11, 5), ended_on=None, rules=rules
    )
    assert periods[0] == Period(sequence=5, starts_on=date(2025, 11, 5), due_on=date(2026, 5, 5))
    assert (
        report_schedule(starts_on=date(2023, 11, 5), ends_on=date(2027, 11, 5), ended_on=None, rules=[]) == []
    )


def test_the_period_of_the_rule_set_in_force_when_a_period_starts_applies() -> None:
    rules = [RulePeriod(date(2000, 1, 1), 6), RulePeriod(date(2026, 3, 1), 3)]
    periods = report_schedule(
        starts_on=date(2025, 7, 1), ends_on=date(2029, 7, 1), ended_on=None, rules=rules
    )
    # Period 1 starts under the 6-month rules; period 2 starts 2026-01-01, still 6 months; then 3 months each.
    assert [p.due_on for p in periods][:4] == [
        date(2026, 1, 1),
        date(2026, 7, 1),
        date(2026, 10, 1),
        date(2027, 1, 1),
    ]


def test_a_mandate_that_ended_early_owes_nothing_due_after_its_end() -> None:
    periods = report_schedule(
        starts_on=date(2025, 7, 20), ends_on=date(2029, 7, 20), ended_on=date(2026, 9, 1), rules=SIX
    )
    assert [p.due_on for p in periods] == [date(2026, 1, 20), date(2026, 7, 20)]


def test_standing_counts_on_time_late_missed_and_the_next_due_report() -> None:
    periods = report_schedule(starts_on=date(2025, 1, 1), ends_on=date(2029, 1, 1), ended_on=None, rules=SIX)
    # Report 1 on time, report 2 published 12 days late, report 3 missing; today is between due dates 3 and 4.
    where = standing(periods, {1: 0, 2: 12}, today=date(2026, 9, 1))
    assert (where.due, where.published, where.on_time, where.late, where.days_late_total) == (3, 2, 1, 1, 12)
    assert where.missed == [date(2026, 7, 1)]
    assert where.next_due == periods[3]


def test_a_report_published_before_its_due_date_counts_as_due_and_on_time() -> None:
    periods = report_schedule(starts_on=date(2025, 1, 1), ends_on=date(2029, 1, 1), ended_on=None, rules=SIX)
    where = standing(periods, {1: 0}, today=date(2025, 6, 1))
    assert (where.due, where.on_time, where.missed) == (1, 1, [])
    assert where.next_due == periods[1]
