"""Timeline entries the reports app writes: "no change" (any status, not yet rated included) and "overdue"
(once, when the deadline of an open promise has passed)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.elections.services import mandate_end
from esep.programs.models import EventKind, PromiseEvent
from esep.programs.services import (
    program_amend,
    program_publish,
    promise_mark_overdue,
    promise_record_no_change,
    promise_record_update,
)
from tests.programs.factories import promise_draft, published_program


@pytest.fixture
def promise(akim_a):
    return published_program(akim_a, promises=1).promises.get()


@pytest.mark.django_db
def test_no_change_keeps_everything_and_says_why(promise, owner) -> None:
    event = promise_record_no_change(
        promise=promise, narrative="Ждём трансферт.", actor=owner, source="report:1"
    )
    promise.refresh_from_db()
    assert (event.kind, event.old_status, event.new_status) == (EventKind.NO_CHANGE, "not_rated", "not_rated")
    assert (promise.status, promise.progress) == ("not_rated", 0)
    assert AuditEvent.objects.filter(action="programs.promise_no_change").exists()
    with pytest.raises(ApplicationError):
        promise_record_no_change(promise=promise, narrative="  ", actor=owner, source="report:1")


@pytest.mark.django_db
def test_no_change_is_only_for_a_sitting_akims_promises(promise, akim_a) -> None:
    mandate_end(mandate=akim_a, on=timezone.localdate(), reason="resignation", note="Отставка.")
    with pytest.raises(ApplicationError) as refused:
        promise_record_no_change(promise=promise, narrative="Без изменений.", actor=None, source="x")
    assert refused.value.code == "not_tracked"


@pytest.mark.django_db
def test_a_promise_turns_overdue_once_after_its_deadline(akim_a) -> None:
    today = timezone.localdate()
    program = published_program(akim_a, promises=[promise_draft(1, deadline=today - timedelta(days=1))])
    promise = program.promises.get()
    assert promise_mark_overdue(promise_id=promise.pk, now=timezone.now()) is True
    assert promise_mark_overdue(promise_id=promise.pk, now=timezone.now()) is False
    event = PromiseEvent.objects.get(kind=EventKind.OVERDUE)
    assert event.actor_id is None and event.new_status == event.old_status == "not_rated"
    assert AuditEvent.objects.filter(action="programs.promise_overdue").count() == 1
    # The amended version carries the entry: its promise with the same number is not marked again.
    amended = program_amend(program=program, reason="Поправка сроков финансирования.", actor=None)
    program_publish(program=amended, actor=None)
    assert promise_mark_overdue(promise_id=amended.promises.get().pk, now=timezone.now()) is False


@pytest.mark.django_db
def test_no_overdue_entry_before_the_deadline_or_for_a_kept_promise(akim_a) -> None:
    today = timezone.localdate()
    program = published_program(
        akim_a,
        promises=[promise_draft(1, deadline=today), promise_draft(2, deadline=today - timedelta(days=3))],
    )
    due_today, kept = program.promises.order_by("order")
    promise_record_update(
        promise=kept, status="kept", progress=100, spent_kzt=None, narrative="Сдано.", actor=None, source="t"
    )
    assert promise_mark_overdue(promise_id=due_today.pk, now=timezone.now()) is False
    assert promise_mark_overdue(promise_id=kept.pk, now=timezone.now()) is False
