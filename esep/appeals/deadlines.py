"""The legal clock of a request (Administrative Procedural Code), on the Asia/Almaty calendar.

- answer within 15 working days of registration (art. 76);
- one extension by a reasoned decision, to at most two months from registration, the applicant told;
- a request for another body is forwarded within 3 working days of registration (art. 65).
"""

import calendar
from datetime import date, datetime

from django.utils import timezone

from esep.core.workdays import add_working_days

ANSWER_WORKING_DAYS = 15
FORWARD_WORKING_DAYS = 3
EXTENSION_MONTHS = 2


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Dec + 2 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def registration_date(registered_at: datetime) -> date:
    return timezone.localdate(registered_at)


def answer_deadline(registered_at: datetime) -> date:
    return add_working_days(registration_date(registered_at), ANSWER_WORKING_DAYS)


def extension_limit(registered_at: datetime) -> date:
    return add_months(registration_date(registered_at), EXTENSION_MONTHS)


def forward_limit(registered_at: datetime) -> date:
    return add_working_days(registration_date(registered_at), FORWARD_WORKING_DAYS)
