"""Deadlines of instructions: "within a month" and how many days are left.

"Within a month" of an instruction issued on day D: the same day number in the next calendar month, clamped to
that month's last day (31 January -> 28/29 February); if that day is not a working day in Kazakhstan, the next
working day (weekends, public holidays and their observed days are skipped; see esep.core.workdays).
"""

import calendar
from datetime import date

from esep.core.workdays import add_working_days, is_working_day


def add_one_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def next_working_day_from(day: date) -> date:
    """`day` itself when it is a working day, otherwise the first working day after it."""
    return day if is_working_day(day) else add_working_days(day, 1)


def within_a_month(issued_on: date) -> date:
    return next_working_day_from(add_one_month(issued_on))


def days_left(deadline: date, today: date) -> int:
    """Calendar days from `today` to `deadline`: 0 on the day, negative once it has passed."""
    return (deadline - today).days
