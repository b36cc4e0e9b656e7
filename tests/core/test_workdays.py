from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from esep.core.workdays import add_working_days, is_working_day, working_days_between

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

# Hand-checked against the 2025-2027 calendars and what holidays gives for KZ (observed=True):
# 2026: Jan 1-2 (Thu-Fri), Jan 7 (Wed), Mar 8 Sun -> Mar 9 Mon, Mar 21-23 (Sat-Mon) -> +Mar 24-25 (Tue-Wed),
#       May 1 (Fri), May 7 (Thu), May 9 Sat -> May 11 Mon, May 27 (Wed, Eid al-Adha, estimated), Jul 6 (Mon),
#       Oct 25 Sun -> Oct 26 Mon, Dec 16 (Wed).
# 2027: Jan 1-2 (Fri-Sat) -> Jan 4 Mon, Jan 7 (Thu), Mar 8 (Mon), Mar 15 (Mon, Constitution Day from 2027),
#       Mar 21-23 (Sun-Tue) -> Mar 24 Wed, May 1 Sat -> May 3 Mon, May 7 (Fri), May 9 Sun -> May 10 Mon,
#       Jul 6 (Tue), Oct 25 (Mon), Dec 16 (Thu).
WEEKDAYS_OFF_2026 = [
    date(2026, 1, 1),
    date(2026, 1, 2),
    date(2026, 1, 7),
    date(2026, 3, 9),
    date(2026, 3, 23),
    date(2026, 3, 24),
    date(2026, 3, 25),
    date(2026, 5, 1),
    date(2026, 5, 7),
    date(2026, 5, 11),
    date(2026, 5, 27),
    date(2026, 7, 6),
    date(2026, 10, 26),
    date(2026, 12, 16),
]
WEEKDAYS_OFF_2027 = [
    date(2027, 1, 1),
    date(2027, 1, 4),
    date(2027, 1, 7),
    date(2027, 3, 8),
    date(2027, 3, 15),
    date(2027, 3, 22),
    date(2027, 3, 23),
    date(2027, 3, 24),
    date(2027, 5, 3),
    date(2027, 5, 7),
    date(2027, 5, 10),
    date(2027, 7, 6),
    date(2027, 10, 25),
    date(2027, 12, 16),
]


@pytest.mark.parametrize(
    ("day", "weekday"),
    [
        (date(2025, 12, 26), FRI),
        (date(2025, 12, 31), WED),
        (date(2026, 1, 1), THU),
        (date(2026, 1, 5), MON),
        (date(2026, 2, 6), FRI),
        (date(2026, 3, 20), FRI),
        (date(2026, 3, 21), SAT),
        (date(2026, 3, 26), THU),
        (date(2026, 5, 9), SAT),
        (date(2026, 10, 23), FRI),
        (date(2026, 10, 25), SUN),
        (date(2026, 12, 16), WED),
        (date(2026, 12, 31), THU),
        (date(2027, 1, 1), FRI),
        (date(2027, 1, 5), TUE),
        (date(2025, 1, 3), FRI),
        (date(2025, 1, 5), SUN),
        (date(2013, 12, 28), SAT),
        (date(2014, 1, 3), FRI),
        (date(2014, 1, 6), MON),
        (date(2027, 12, 31), FRI),
        (date(2028, 1, 1), SAT),
        (date(2028, 1, 5), WED),
    ],
)
def test_hand_written_dates_have_the_weekdays_the_cases_assume(day: date, weekday: int) -> None:
    assert day.weekday() == weekday


def test_package_still_gives_the_holidays_the_cases_assume() -> None:
    # Guards the hand-written cases below against a holidays release that changes KZ rules.
    for year, expected in ((2026, WEEKDAYS_OFF_2026), (2027, WEEKDAYS_OFF_2027)):
        calendar = holidays.country_holidays("KZ", years=year)
        assert sorted(d for d in calendar if d.weekday() < SAT) == expected
        assert not {d for d in calendar.weekend_workdays if d.year == year}


@pytest.mark.parametrize("day", WEEKDAYS_OFF_2026 + WEEKDAYS_OFF_2027)
def test_holidays_and_observed_days_are_not_working(day: date) -> None:
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 3, 21),
        date(2026, 3, 22),
        date(2026, 2, 7),
        date(2026, 2, 8),
        date(2027, 1, 2),
        date(2027, 1, 3),
    ],
)
def test_weekends_are_not_working(day: date) -> None:
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 5),
        date(2026, 1, 6),
        date(2026, 1, 8),
        date(2026, 3, 20),
        date(2026, 3, 26),
        date(2026, 12, 15),
        date(2026, 12, 17),
        date(2026, 12, 31),
        date(2027, 1, 5),
        date(2027, 3, 25),
        date(2027, 12, 17),
    ],
)
def test_ordinary_weekdays_are_working(day: date) -> None:
    assert is_working_day(day)


def test_working_days_per_year() -> None:
    # 261 weekdays in each of 2026 and 2027, 14 of them off in each.
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 261 - 14
    assert working_days_between(date(2026, 12, 31), date(2027, 12, 31)) == 261 - 14
    assert working_days_between(date(2025, 12, 31), date(2027, 12, 31)) == 2 * (261 - 14)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Weekend: Friday + 1 is Monday; a weekend start counts from Monday.
        (date(2026, 2, 6), 1, date(2026, 2, 9)),
        (date(2026, 2, 7), 1, date(2026, 2, 9)),
        (date(2026, 2, 8), 1, date(2026, 2, 9)),
        (date(2026, 2, 9), 1, date(2026, 2, 10)),
        (date(2026, 2, 6), 5, date(2026, 2, 13)),
        # Year boundary into 2026: Jan 1-2 holidays, Jan 3-4 weekend, Jan 7 Orthodox Christmas.
        (date(2025, 12, 26), 3, date(2025, 12, 31)),
        (date(2025, 12, 26), 4, date(2026, 1, 5)),
        (date(2025, 12, 31), 1, date(2026, 1, 5)),
        (date(2025, 12, 31), 2, date(2026, 1, 6)),
        (date(2025, 12, 31), 3, date(2026, 1, 8)),
        (date(2026, 1, 1), 1, date(2026, 1, 5)),
        # Request registered on Friday 20 March 2026, before Nauryz (21-23) and its observed days (24-25).
        (date(2026, 3, 20), 1, date(2026, 3, 26)),
        (date(2026, 3, 20), 2, date(2026, 3, 27)),
        (date(2026, 3, 20), 5, date(2026, 4, 1)),
        (date(2026, 3, 19), 1, date(2026, 3, 20)),
        (date(2026, 3, 19), 2, date(2026, 3, 26)),
        # Victory Day 2026 falls on Saturday, observed on Monday 11 May.
        (date(2026, 5, 8), 1, date(2026, 5, 12)),
        # Republic Day 2026 falls on Sunday, observed on Monday 26 October.
        (date(2026, 10, 23), 1, date(2026, 10, 27)),
        # Independence Day, Wednesday 16 December 2026.
        (date(2026, 12, 15), 1, date(2026, 12, 17)),
        (date(2026, 12, 14), 2, date(2026, 12, 17)),
        (date(2026, 12, 11), 3, date(2026, 12, 17)),
        # Year boundary into 2027: Jan 1 Friday, Jan 2 Saturday observed on Monday 4 January, Jan 7 Thursday.
        (date(2026, 12, 30), 1, date(2026, 12, 31)),
        (date(2026, 12, 30), 2, date(2027, 1, 5)),
        (date(2026, 12, 31), 1, date(2027, 1, 5)),
        (date(2026, 12, 31), 3, date(2027, 1, 8)),
        # Nauryz 2027: 21 March Sunday observed on Wednesday 24 March; 22-23 are Monday-Tuesday.
        (date(2027, 3, 19), 1, date(2027, 3, 25)),
        # Many days: the 247 working days of 2027 end on its last working day.
        (date(2026, 12, 31), 247, date(2027, 12, 31)),
        # New Year 2028 is Saturday-Sunday, both observed: Monday 3 and Tuesday 4 January are off.
        (date(2026, 12, 31), 248, date(2028, 1, 5)),
    ],
)
def test_add_working_days_hand_checked(start: date, days: int, expected: date) -> None:
    assert add_working_days(start, days) == expected
    assert working_days_between(start, expected) == days


def test_a_swapped_weekend_workday_is_still_a_weekend() -> None:
    # 2025: the day off moved from Sunday 5 January to Friday 3 January. The Friday is off (the package lists
    # it); the Sunday stays a non-working day: deadlines skip every Saturday and Sunday.
    assert not is_working_day(date(2025, 1, 3))
    assert not is_working_day(date(2025, 1, 4))
    assert not is_working_day(date(2025, 1, 5))
    assert add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 6)
    assert add_working_days(date(2024, 12, 31), 2) == date(2025, 1, 8)  # 7 January is Orthodox Christmas


def test_swap_across_new_year() -> None:
    # Friday 3 January 2014 was off in exchange for working on Saturday 28 December 2013: no deadline falls on
    # that Saturday.
    assert not is_working_day(date(2013, 12, 28))
    assert not is_working_day(date(2014, 1, 3))
    assert add_working_days(date(2013, 12, 27), 1) == date(2013, 12, 30)


@pytest.mark.parametrize(
    "start", [date(2026, 3, 20), date(2026, 3, 21), date(2026, 1, 1), date(2026, 12, 31)]
)
def test_zero_days_returns_start_even_on_a_day_off(start: date) -> None:
    assert add_working_days(start, 0) == start


@pytest.mark.parametrize("days", [-1, -100])
def test_negative_days_are_rejected(days: int) -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 20), days)


@pytest.mark.parametrize("days", [1.0, "1", True, None])
def test_non_integer_days_are_rejected(days: object) -> None:
    with pytest.raises(TypeError):
        add_working_days(date(2026, 3, 20), days)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 20, 12, 0),  # noqa: DTZ001 - a naive datetime must be rejected too
        datetime(2026, 3, 20, 12, 0, tzinfo=ZoneInfo("Asia/Almaty")),
    ],
)
def test_datetimes_are_rejected(moment: datetime) -> None:
    day = date(2026, 3, 20)
    with pytest.raises(TypeError):
        is_working_day(moment)
    with pytest.raises(TypeError):
        add_working_days(moment, 1)
    with pytest.raises(TypeError):
        working_days_between(moment, day)
    with pytest.raises(TypeError):
        working_days_between(day, moment)


@pytest.mark.parametrize("value", ["2026-03-20", None, 20260320])
def test_non_dates_are_rejected(value: object) -> None:
    with pytest.raises(TypeError):
        is_working_day(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 20), date(2026, 3, 20), 0),
        (date(2026, 3, 26), date(2026, 3, 20), 0),
        (date(2026, 3, 20), date(2026, 3, 25), 0),
        (date(2026, 3, 20), date(2026, 3, 26), 1),
        (date(2026, 3, 19), date(2026, 3, 26), 2),
        (date(2026, 3, 21), date(2026, 3, 27), 2),
        (date(2026, 12, 30), date(2027, 1, 4), 1),
        (date(2026, 12, 30), date(2027, 1, 5), 2),
        (date(2026, 2, 6), date(2026, 2, 8), 0),
        (date(2026, 2, 6), date(2026, 2, 9), 1),
    ],
)
def test_working_days_between_hand_checked(start: date, end: date, expected: int) -> None:
    assert working_days_between(start, end) == expected


def test_many_calls_stay_fast() -> None:
    start = date(2026, 1, 1)
    for offset in range(200_000):
        add_working_days(start + timedelta(days=offset % 730), 15)


# Properties

starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2098, 12, 31))
counts = st.integers(min_value=0, max_value=400)


@cache
def oracle_calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=year)


def oracle_is_working(day: date) -> bool:
    """Independent of the module: the issue's definition asked of the package's own calendar for that one year
    (not the package's is_working_day, which also counts swapped weekend workdays)."""
    return day.weekday() < 5 and day not in oracle_calendar(day.year)


@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2099, 12, 31)))
@example(date(2014, 1, 3))
@example(date(2013, 12, 28))
def test_is_working_day_agrees_with_the_package(day: date) -> None:
    assert is_working_day(day) == oracle_is_working(day)


@given(starts, st.integers(min_value=1, max_value=400))
@example(date(2026, 3, 20), 1)
@example(date(2026, 12, 31), 1)
def test_result_is_a_later_working_day(start: date, days: int) -> None:
    result = add_working_days(start, days)
    assert result > start
    assert is_working_day(result)


@given(starts, counts)
@example(date(2025, 12, 31), 1)
def test_between_inverts_add(start: date, days: int) -> None:
    assert working_days_between(start, add_working_days(start, days)) == days


@given(starts, st.integers(min_value=0, max_value=60))
def test_add_matches_walking_day_by_day(start: date, days: int) -> None:
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if oracle_is_working(day):
            left -= 1
    assert add_working_days(start, days) == day


@given(starts, st.integers(min_value=-30, max_value=800))
@example(date(2025, 12, 31), 366)
def test_between_matches_counting_day_by_day(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    expected = sum(1 for offset in range(1, span + 1) if oracle_is_working(start + timedelta(days=offset)))
    assert working_days_between(start, end) == expected


@given(starts, counts)
def test_add_is_strictly_monotonic(start: date, days: int) -> None:
    assert add_working_days(start, days) < add_working_days(start, days + 1)
