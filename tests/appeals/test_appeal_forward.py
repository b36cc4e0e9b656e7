from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from esep.appeals import services
from esep.appeals.models import AppealStat, Body, Notification, Status
from esep.core.errors import ApplicationError

from .conftest import at


def test_it_forwards_within_3_working_days_naming_the_body(make_appeal, staff, resident) -> None:
    appeal = make_appeal("public_order", now=at(date(2026, 3, 20)))
    # Nauryz: 23-25 March are holidays, so the third working day after Friday 20 March is Monday 30 March.
    forwarded = services.appeal_forward(
        actor=staff,
        appeal=appeal,
        body=Body.POLICE,
        reason="A matter for the police.",
        now=at(date(2026, 3, 30)),
    )
    assert forwarded.status == Status.FORWARDED
    assert forwarded.forwarded_to == Body.POLICE
    assert "Police" in forwarded.forwarded_body or "полиц" in forwarded.forwarded_body.lower()
    assert Notification.objects.filter(recipient=resident, appeal=appeal, kind="forwarded").exists()
    stat = AppealStat.objects.get(scope="", month=date(2026, 3, 1), category=appeal.category)
    assert (stat.registered, stat.forwarded) == (1, 1)


def test_forwarding_after_3_working_days_is_refused(make_appeal, staff) -> None:
    appeal = make_appeal("public_order", now=at(date(2026, 3, 20)))
    with pytest.raises(ApplicationError) as caught:
        services.appeal_forward(actor=staff, appeal=appeal, body=Body.POLICE, now=at(date(2026, 3, 31)))
    assert caught.value.code == "forward_too_late"
    assert "2026-03-30" in str(caught.value.message)
    appeal.refresh_from_db()
    assert appeal.status == Status.REGISTERED


def test_the_last_day_of_the_window_counts_across_a_weekend(make_appeal, staff) -> None:
    appeal = make_appeal("health", now=at(date(2026, 2, 5)))  # Thursday: window ends Tuesday 10 February
    services.appeal_forward(
        actor=staff,
        appeal=appeal,
        body=Body.REGION,
        body_name="Health department",
        now=at(date(2026, 2, 10), 17),
    )
    appeal.refresh_from_db()
    assert appeal.forwarded_body == "Health department"


def test_it_refuses_a_body_that_is_not_another_body(make_appeal, staff) -> None:
    appeal = make_appeal(now=at(date(2026, 2, 5)))
    with pytest.raises(ApplicationError):
        services.appeal_forward(actor=staff, appeal=appeal, body=Body.RURAL, now=at(date(2026, 2, 5)))


def test_only_the_units_akimat_forwards(make_appeal, other_staff, supervisor) -> None:
    appeal = make_appeal(now=at(date(2026, 2, 5)))
    for actor in (other_staff, supervisor):
        with pytest.raises(PermissionDenied):
            services.appeal_forward(actor=actor, appeal=appeal, body=Body.DISTRICT, now=at(date(2026, 2, 5)))


def test_a_forwarded_request_cannot_be_answered(make_appeal, staff) -> None:
    appeal = make_appeal(now=at(date(2026, 2, 5)))
    services.appeal_forward(actor=staff, appeal=appeal, body=Body.DISTRICT, now=at(date(2026, 2, 5)))
    with pytest.raises(ApplicationError) as caught:
        services.appeal_answer(actor=staff, appeal=appeal, answer="Done", now=at(date(2026, 2, 6)))
    assert caught.value.code == "not_open"
