"""registered -> in progress -> answered -> closed (confirmed or disputed), or forwarded; nothing else."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from esep.appeals import services
from esep.appeals.models import AppealAnswerDays, AppealStat, Notification, Status, Verdict
from esep.core.errors import ApplicationError

from .conftest import at


def test_the_full_path_to_a_confirmed_answer(make_appeal, staff, resident) -> None:
    appeal = make_appeal(now=at(date(2026, 2, 2)))
    appeal = services.appeal_start(actor=staff, appeal=appeal)
    assert appeal.status == Status.IN_PROGRESS and appeal.assigned_to == staff
    appeal = services.appeal_answer(
        actor=staff, appeal=appeal, answer="Repaired on 5 February.", now=at(date(2026, 2, 6))
    )
    assert appeal.status == Status.ANSWERED and appeal.answered_by == staff and not appeal.missed
    assert Notification.objects.filter(recipient=resident, kind="answered").count() == 1
    appeal = services.appeal_close(
        actor=resident, appeal=appeal, verdict=Verdict.CONFIRMED, now=at(date(2026, 2, 9))
    )
    assert appeal.status == Status.CLOSED and appeal.verdict == Verdict.CONFIRMED
    stat = AppealStat.objects.get(scope=appeal.kato, month=date(2026, 2, 1), category=appeal.category)
    assert (stat.registered, stat.answered, stat.answered_on_time, stat.missed, stat.confirmed) == (
        1,
        1,
        1,
        0,
        1,
    )
    # 2 Feb -> 6 Feb is 4 working days.
    assert stat.answer_days_total == 4
    assert AppealAnswerDays.objects.get(scope="", month=date(2026, 2, 1), days=4).count == 1


def test_a_late_answer_counts_as_missed_once(make_appeal, staff) -> None:
    appeal = make_appeal(now=at(date(2026, 2, 2)))
    appeal = services.appeal_answer(actor=staff, appeal=appeal, answer="Late", now=at(date(2026, 3, 2)))
    assert appeal.missed
    stat = AppealStat.objects.get(scope="", month=date(2026, 2, 1), category=appeal.category)
    assert (stat.answered, stat.answered_on_time, stat.missed) == (1, 0, 1)


def test_the_resident_may_dispute_the_answer(make_appeal, staff, resident) -> None:
    appeal = make_appeal(now=at(date(2026, 2, 2)))
    services.appeal_answer(actor=staff, appeal=appeal, answer="Done", now=at(date(2026, 2, 3)))
    appeal = services.appeal_close(
        actor=resident, appeal=appeal, verdict=Verdict.DISPUTED, note="Nothing was done."
    )
    assert appeal.verdict == Verdict.DISPUTED and appeal.verdict_note == "Nothing was done."


def test_only_the_resident_closes_and_only_after_an_answer(make_appeal, staff, resident, neighbour) -> None:
    appeal = make_appeal(now=at(date(2026, 2, 2)))
    with pytest.raises(ApplicationError):
        services.appeal_close(actor=resident, appeal=appeal, verdict=Verdict.CONFIRMED)
    services.appeal_answer(actor=staff, appeal=appeal, answer="Done", now=at(date(2026, 2, 3)))
    for actor in (neighbour, staff):
        with pytest.raises(PermissionDenied):
            services.appeal_close(actor=actor, appeal=appeal, verdict=Verdict.CONFIRMED)
    with pytest.raises(ApplicationError):
        services.appeal_close(actor=resident, appeal=appeal, verdict="maybe")


def test_an_answered_request_cannot_be_answered_started_or_extended_again(make_appeal, staff) -> None:
    appeal = make_appeal(now=at(date(2026, 2, 2)))
    services.appeal_answer(actor=staff, appeal=appeal, answer="Done", now=at(date(2026, 2, 3)))
    with pytest.raises(ApplicationError):
        services.appeal_answer(actor=staff, appeal=appeal, answer="Again", now=at(date(2026, 2, 4)))
    with pytest.raises(ApplicationError):
        services.appeal_start(actor=staff, appeal=appeal)
    with pytest.raises(ApplicationError):
        services.appeal_extend(
            actor=staff,
            appeal=appeal,
            new_deadline=date(2026, 3, 1),
            reason="Waiting for the district.",
            now=at(date(2026, 2, 4)),
        )


def test_an_empty_answer_is_refused(make_appeal, staff) -> None:
    appeal = make_appeal()
    with pytest.raises(ApplicationError) as caught:
        services.appeal_answer(actor=staff, appeal=appeal, answer="  ")
    assert caught.value.code == "empty_answer"


def test_the_akim_may_answer_but_residents_and_supervisors_may_not(
    make_appeal, akim, neighbour, supervisor
) -> None:
    for actor in (neighbour, supervisor):
        with pytest.raises(PermissionDenied):
            services.appeal_answer(actor=actor, appeal=make_appeal(), answer="Done")
    assert services.appeal_answer(actor=akim, appeal=make_appeal(), answer="Done").status == Status.ANSWERED


def test_bulk_assign_gives_requests_to_a_colleague_of_the_unit(make_appeal, staff, akim, other_staff) -> None:
    appeals = [make_appeal(), make_appeal(), make_appeal()]
    assert services.appeal_assign(actor=akim, appeals=appeals, assignee=staff) == 3
    assert {
        a.assigned_to_id for a in type(appeals[0]).private_objects.filter(pk__in=[a.pk for a in appeals])
    } == {staff.pk}
    with pytest.raises(ApplicationError) as caught:
        services.appeal_assign(actor=akim, appeals=appeals, assignee=other_staff)
    assert caught.value.code == "invalid_assignee"
    with pytest.raises(PermissionDenied):
        services.appeal_assign(actor=other_staff, appeals=appeals, assignee=other_staff)
