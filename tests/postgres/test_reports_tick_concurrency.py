"""Two `esep tick` runs of the reports step at the same moment, on PostgreSQL (where two connections really
write at once; SQLite's writers queue one behind the other): each reminder and each overdue timeline entry is
written once.

    python -m tests.pgserver run -- .venv/bin/pytest tests/postgres/test_reports_tick_concurrency.py
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from esep.accounts.services import role_assign, user_create
from esep.core.models import Role
from esep.elections.services import person_link_user
from esep.programs.models import EventKind, PromiseEvent
from esep.reports import tick
from esep.reports.models import ReportNotification
from esep.territory.models import Territory
from tests.conftest import UNIT_A
from tests.programs.factories import promise_draft, reference_data
from tests.reports.factories import akim_with_program


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_send_each_reminder_and_write_each_overdue_entry_once(territory) -> None:
    unit = Territory.objects.get(kato=UNIT_A)
    reference_data(unit)
    late = timezone.localdate() - timedelta(days=2)
    mandate = akim_with_program(
        unit, due_in_days=10, promises=[promise_draft(n, deadline=late) for n in (1, 2)]
    )
    akim = user_create(username="akim.race", password=None)
    person_link_user(person=mandate.person, user=akim)
    role_assign(
        user=user_create(username="staff.race", password=None), role=Role.AKIMAT_STAFF, territory=unit
    )
    tick.run(now=timezone.now() - timedelta(days=30))  # the summary row, before anything is due

    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=30)
            tick.run(now=timezone.now())
        except BaseException as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert ReportNotification.objects.filter(kind="reminder_14").count() == 2
    assert PromiseEvent.objects.filter(kind=EventKind.OVERDUE).count() == 2
