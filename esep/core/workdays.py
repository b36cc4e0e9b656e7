"""Kazakhstan's working-day calendar: Saturdays, Sundays and public holidays (with observed and substituted
days off, as the `holidays` package gives them for KZ) are non-working.

A weekend day the government declares a working day in exchange for a day off (holidays' `weekend_workdays`,
e.g. Sunday 5 January 2025) still counts as non-working here, as the issue specifies: a deadline never falls
on a weekend, and such swaps only ever push a deadline one day later.
Dates must be local (Asia/Almaty) `date`s: a `datetime` is rejected so that callers convert it deliberately.
"""

from bisect import bisect_right
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays


def _require_date(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date (convert datetimes to the Asia/Almaty date first).")
    return value


@lru_cache(maxsize=512)
def _working_ordinals(year: int) -> tuple[int, ...]:
    """Sorted ordinals of the year's working days."""
    calendar = holidays.country_holidays("KZ", years=year, observed=True)
    first = date(year, 1, 1)
    working = []
    for offset in range((date(year, 12, 31) - first).days + 1):
        day = first + timedelta(days=offset)
        if day.weekday() < 5 and day not in calendar:
            working.append(day.toordinal())
    return tuple(working)


@lru_cache(maxsize=512)
def _working_set(year: int) -> frozenset[int]:
    return frozenset(_working_ordinals(year))


def is_working_day(day: date) -> bool:
    day = _require_date(day, "day")
    return day.toordinal() in _working_set(day.year)


def add_working_days(start: date, days: int) -> date:
    """The day on which the `days`-th working day after `start` falls; `start` itself is never counted."""
    start = _require_date(start, "start")
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError("days must be an int.")
    if days < 0:
        raise ValueError("days must be zero or positive.")
    if days == 0:
        return start
    year = start.year
    ordinals = _working_ordinals(year)
    index = bisect_right(ordinals, start.toordinal()) + days - 1
    while index >= len(ordinals):
        index -= len(ordinals)
        year += 1
        ordinals = _working_ordinals(year)
    return date.fromordinal(ordinals[index])


def _working_days_up_to(day: date) -> int:
    """Working days from 1 January of day's year through day, inclusive."""
    return bisect_right(_working_ordinals(day.year), day.toordinal())


def working_days_between(start: date, end: date) -> int:
    """The number of working days d with start < d <= end (0 when end <= start)."""
    start = _require_date(start, "start")
    end = _require_date(end, "end")
    if end <= start:
        return 0
    total = _working_days_up_to(end) - _working_days_up_to(start)
    for year in range(start.year, end.year):
        total += len(_working_ordinals(year))
    return total
