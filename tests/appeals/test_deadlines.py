"""The legal clock across weekends and Kazakhstan's holidays (dates checked against the holidays package)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esep.appeals import deadlines

from .conftest import at


@pytest.mark.parametrize(
    ("registered_on", "due"),
    [
        # Friday before Nauryz 2026 (21-25 March, with 23-25 March off): counting resumes on 26 March.
        (date(2026, 3, 20), date(2026, 4, 15)),
        # Saturday, inside Nauryz: the same deadline as the Friday before.
        (date(2026, 3, 21), date(2026, 4, 15)),
        # New Year 2026 (1-2 January) and Orthodox Christmas (7 January) are skipped.
        (date(2025, 12, 30), date(2026, 1, 23)),
        # Independence Day (16 December 2026) and New Year 2027 (1 January, observed 4 January) are skipped.
        (date(2026, 12, 10), date(2027, 1, 5)),
        # An ordinary fortnight: three weeks of working days.
        (date(2026, 2, 2), date(2026, 2, 23)),
    ],
)
def test_the_answer_is_due_15_working_days_after_registration(registered_on, due) -> None:
    assert deadlines.answer_deadline(at(registered_on)) == due


def test_the_registration_date_is_the_almaty_date() -> None:
    # 23:30 UTC on 19 March is 04:30 on 20 March in Almaty (UTC+5).
    registered_at = datetime(2026, 3, 19, 23, 30, tzinfo=UTC)
    assert deadlines.registration_date(registered_at) == date(2026, 3, 20)
    assert deadlines.answer_deadline(registered_at) == date(2026, 4, 15)


@pytest.mark.parametrize(
    ("registered_on", "limit"),
    [
        (date(2026, 3, 20), date(2026, 3, 30)),  # Nauryz: 23-25 March are not working days
        (date(2025, 12, 30), date(2026, 1, 6)),  # New Year
        (date(2026, 12, 10), date(2026, 12, 15)),  # before Independence Day
        (date(2026, 12, 14), date(2026, 12, 18)),  # across Independence Day
    ],
)
def test_forwarding_is_allowed_for_3_working_days(registered_on, limit) -> None:
    assert deadlines.forward_limit(at(registered_on)) == limit


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 15), date(2026, 3, 15)),
        (date(2025, 12, 31), date(2026, 2, 28)),
        (date(2027, 12, 31), date(2028, 2, 29)),
        (date(2026, 11, 30), date(2027, 1, 30)),
    ],
)
def test_two_months_from_registration_clamps_to_the_month_end(day, expected) -> None:
    assert deadlines.add_months(day, 2) == expected


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 12, 31)), st.integers(-24, 24))
def test_adding_months_lands_in_the_right_month_and_never_overshoots(day, months) -> None:
    result = deadlines.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    assert result.day == day.day or (result + timedelta(days=1)).month != result.month


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)))
def test_the_extension_limit_is_always_after_the_answer_deadline(day) -> None:
    assert (
        deadlines.forward_limit(at(day))
        < deadlines.answer_deadline(at(day))
        < deadlines.extension_limit(at(day))
    )
