from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from esep.core.workdays import is_working_day
from esep.training.deadlines import add_one_month, days_left, within_a_month

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def test_the_dialogue_platform_instructions_fall_due_on_the_monday_after_the_month() -> None:
    # 28 November 2025 + 1 month = Sunday 28 December 2025; the next working day is Monday the 29th.
    assert add_one_month(date(2025, 11, 28)) == date(2025, 12, 28)
    assert within_a_month(date(2025, 11, 28)) == date(2025, 12, 29)


def test_a_month_from_the_31st_ends_on_the_last_day_of_a_shorter_month() -> None:
    assert add_one_month(date(2026, 1, 31)) == date(2026, 2, 28)
    assert add_one_month(date(2028, 1, 31)) == date(2028, 2, 29)
    assert add_one_month(date(2026, 12, 15)) == date(2027, 1, 15)


def test_a_deadline_on_a_public_holiday_moves_to_the_next_working_day() -> None:
    # 16 December (Independence Day) 2026 is a Wednesday: the deadline is Thursday the 17th.
    assert not is_working_day(date(2026, 12, 16))
    assert within_a_month(date(2026, 11, 16)) == date(2026, 12, 17)
    # 1 May 2027 is a Saturday; Monday 3 May is its observed day off: the deadline is Tuesday 4 May.
    assert within_a_month(date(2027, 4, 1)) == date(2027, 5, 4)


@given(DAYS)
def test_within_a_month_is_a_working_day_a_month_or_a_little_more_away(issued: date) -> None:
    deadline = within_a_month(issued)
    assert is_working_day(deadline)
    assert add_one_month(issued) <= deadline <= add_one_month(issued) + timedelta(days=10)
    # Every day between the calendar month and the deadline is a day off.
    day = add_one_month(issued)
    while day < deadline:
        assert not is_working_day(day)
        day += timedelta(days=1)


@given(DAYS)
def test_a_month_later_is_never_more_than_31_days_away_nor_less_than_28(issued: date) -> None:
    assert 28 <= (add_one_month(issued) - issued).days <= 31


def test_days_left_counts_calendar_days_and_turns_negative_after_the_deadline() -> None:
    assert days_left(date(2026, 1, 10), date(2026, 1, 3)) == 7
    assert days_left(date(2026, 1, 10), date(2026, 1, 10)) == 0
    assert days_left(date(2026, 1, 10), date(2026, 1, 11)) == -1
