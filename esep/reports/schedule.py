"""The report schedule of a mandate: pure date arithmetic, no database.

Period 1 starts on the day the mandate starts; each period lasts `report_period_months` of the rule set in
force on the day the period starts (the first rule set's value before any is in force, 6 without any rule
set); its report is due on the day the period ends. Months are counted from the mandate's start (6, 12,
18... months later), so short months never make the dates drift. The last period ends with the term. A due
date is binding only once a rule set is in force on it: before the government set the rules, nothing was
owed. A mandate that ends early owes nothing due after its end.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

DEFAULT_PERIOD_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class RulePeriod:
    """A rule set's date and its `report_period_months`."""

    effective_from: date
    months: int


@dataclass(frozen=True)
class Period:
    sequence: int
    starts_on: date
    due_on: date


def months_in_force(rules: list[RulePeriod], on: date) -> int:
    """The period of the rule set in force on `on` (`rules` sorted by date, the later of a date winning)."""
    chosen = None
    for rule in rules:
        if rule.effective_from <= on:
            chosen = rule
        else:
            break
    if chosen is None:
        return rules[0].months if rules else DEFAULT_PERIOD_MONTHS
    return chosen.months


def report_schedule(
    *, starts_on: date, ends_on: date, ended_on: date | None, rules: Iterable[RulePeriod]
) -> list[Period]:
    """The binding periods of a mandate, in order. Sequence numbers count every period from the start, so a
    period keeps its number whatever rules come into force later."""
    rules = sorted(rules, key=lambda rule: rule.effective_from)
    if not rules:
        return []
    first_binding = rules[0].effective_from
    last_day = min(ends_on, ended_on) if ended_on else ends_on
    periods = []
    start, months, sequence = starts_on, 0, 0
    while start < ends_on:
        sequence += 1
        months += max(months_in_force(rules, start), 1)
        due = min(add_months(starts_on, months), ends_on)
        if due > last_day:
            break
        if due >= first_binding:
            periods.append(Period(sequence=sequence, starts_on=start, due_on=due))
        start = due
    return periods


@dataclass(frozen=True)
class Standing:
    """Where a mandate stands on `today` against its schedule."""

    due: int  # periods whose report was due by today, or was published already
    published: int
    on_time: int
    late: int
    days_late_total: int
    missed: list[date]  # due dates passed with no published report, oldest first
    next_due: Period | None  # the first period still to report whose due date has not passed


def standing(periods: list[Period], published: dict[int, int], *, today: date) -> Standing:
    """`published`: sequence -> days late of its published report (0 when on time), as fixed on publishing."""
    due = on_time = late = days_late = 0
    missed: list[date] = []
    next_due = None
    for period in periods:
        late_by = published.get(period.sequence)
        if late_by is not None:
            due += 1
            if late_by <= 0:
                on_time += 1
            else:
                late += 1
                days_late += late_by
        elif period.due_on < today:
            due += 1
            missed.append(period.due_on)
        elif next_due is None:
            next_due = period
    return Standing(
        due=due,
        published=on_time + late,
        on_time=on_time,
        late=late,
        days_late_total=days_late,
        missed=missed,
        next_due=next_due,
    )
