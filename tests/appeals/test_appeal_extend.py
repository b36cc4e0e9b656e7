from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from esep.appeals import services
from esep.appeals.models import AppealEvent, AppealStat, Notification, NotificationKind
from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError

from .conftest import at

REASON = "The district department must inspect the road first."


def test_it_extends_once_with_a_reason_and_tells_the_resident(make_appeal, staff, resident) -> None:
    appeal = make_appeal(now=at(date(2026, 1, 15)))
    extended = services.appeal_extend(
        actor=staff, appeal=appeal, new_deadline=date(2026, 3, 15), reason=REASON, now=at(date(2026, 1, 20))
    )
    assert extended.extended_deadline == date(2026, 3, 15)
    assert extended.due_date == date(2026, 3, 15)
    notice = Notification.objects.get(recipient=resident, appeal=appeal)
    assert notice.kind == NotificationKind.EXTENDED and REASON in notice.note
    assert AppealEvent.objects.filter(appeal=appeal, kind="extended").count() == 1
    assert AuditEvent.objects.filter(action="appeals.extend", subject_id=str(appeal.pk)).count() == 1
    assert AppealStat.objects.get(scope="", month=date(2026, 1, 1), category=appeal.category).extended == 1


def test_an_extension_beyond_two_months_is_refused(make_appeal, staff) -> None:
    appeal = make_appeal(now=at(date(2026, 1, 15)))
    with pytest.raises(ApplicationError) as caught:
        services.appeal_extend(
            actor=staff,
            appeal=appeal,
            new_deadline=date(2026, 3, 16),
            reason=REASON,
            now=at(date(2026, 1, 20)),
        )
    assert caught.value.code == "extension_too_long"
    assert "2026-03-15" in str(caught.value.message)
    appeal.refresh_from_db()
    assert appeal.extended_deadline is None


def test_a_second_extension_is_refused(make_appeal, staff) -> None:
    appeal = make_appeal(now=at(date(2026, 1, 15)))
    services.appeal_extend(
        actor=staff, appeal=appeal, new_deadline=date(2026, 2, 20), reason=REASON, now=at(date(2026, 1, 20))
    )
    with pytest.raises(ApplicationError) as caught:
        services.appeal_extend(
            actor=staff,
            appeal=appeal,
            new_deadline=date(2026, 3, 1),
            reason=REASON,
            now=at(date(2026, 1, 21)),
        )
    assert caught.value.code == "already_extended"


@pytest.mark.parametrize("reason", ["", "   ", "too short"])
def test_an_extension_needs_a_reason(make_appeal, staff, reason) -> None:
    appeal = make_appeal(now=at(date(2026, 1, 15)))
    with pytest.raises(ApplicationError) as caught:
        services.appeal_extend(
            actor=staff,
            appeal=appeal,
            new_deadline=date(2026, 2, 20),
            reason=reason,
            now=at(date(2026, 1, 20)),
        )
    assert caught.value.code == "no_reason"


def test_a_new_deadline_must_be_later_than_the_current_one(make_appeal, staff) -> None:
    appeal = make_appeal(now=at(date(2026, 1, 15)))
    with pytest.raises(ApplicationError) as caught:
        services.appeal_extend(
            actor=staff, appeal=appeal, new_deadline=appeal.deadline, reason=REASON, now=at(date(2026, 1, 20))
        )
    assert caught.value.code == "invalid_deadline"


def test_a_passed_deadline_can_no_longer_be_extended(make_appeal, staff) -> None:
    appeal = make_appeal(now=at(date(2026, 1, 15)))
    with pytest.raises(ApplicationError) as caught:
        services.appeal_extend(
            actor=staff,
            appeal=appeal,
            new_deadline=date(2026, 3, 1),
            reason=REASON,
            now=at(date(2026, 2, 20)),
        )
    assert caught.value.code == "deadline_passed"


def test_staff_of_another_unit_and_residents_cannot_extend(
    make_appeal, other_staff, neighbour, resident
) -> None:
    appeal = make_appeal(now=at(date(2026, 1, 15)))
    for actor in (other_staff, neighbour, resident):
        with pytest.raises(PermissionDenied):
            services.appeal_extend(
                actor=actor,
                appeal=appeal,
                new_deadline=date(2026, 2, 20),
                reason=REASON,
                now=at(date(2026, 1, 20)),
            )
