"""promise_record_update: the timeline of a sitting akim's promise, with its status, progress and spending."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.elections.services import mandate_end
from esep.programs.models import PromiseEvent, PromiseStat
from esep.programs.services import promise_record_update
from tests.programs.factories import draft_program, published_program


@pytest.fixture
def promise(akim_a):
    return published_program(akim_a, promises=2).promises.get(local_id="P1")


def update(promise, **changes):
    values = {
        "promise": promise,
        "status": "in_progress",
        "progress": 30,
        "spent_kzt": 300_000,
        "narrative": "The contractor started work.",
        "actor": None,
        "source": "akimat's update",
    }
    return promise_record_update(**{**values, **changes})


@pytest.mark.django_db
def test_it_adds_to_the_timeline_and_sets_the_promise(promise, owner) -> None:
    event = update(promise, actor=owner, evidence_note="Contract no. 14")
    promise.refresh_from_db()
    assert (promise.status, promise.progress, promise.spent_kzt) == ("in_progress", 30, 300_000)
    assert (event.old_status, event.new_status, event.actor_id) == ("not_rated", "in_progress", owner.pk)
    assert event.evidence_note == "Contract no. 14" and event.source == "akimat's update"
    assert AuditEvent.objects.filter(action="programs.promise_update", subject_id=str(promise.pk)).exists()


@pytest.mark.django_db
def test_it_keeps_the_summary_table_current_in_the_same_transaction(promise) -> None:
    update(promise, status="kept", progress=100)
    stat = PromiseStat.objects.get(unit=promise.program.rural_unit)
    assert (stat.promises, stat.kept, stat.not_rated) == (2, 1, 1)


@pytest.mark.django_db
def test_spending_left_out_stays_as_it_was(promise) -> None:
    update(promise, spent_kzt=500_000)
    update(promise, spent_kzt=None, progress=50)
    promise.refresh_from_db()
    assert (promise.progress, promise.spent_kzt) == (50, 500_000)


@pytest.mark.django_db
def test_broken_and_dropped_need_a_reason_which_the_promise_keeps(promise) -> None:
    with pytest.raises(ApplicationError):
        update(promise, status="broken")
    update(promise, status="broken", reason="The district cut the money.")
    promise.refresh_from_db()
    assert promise.status_reason == "The district cut the money."
    update(promise, status="in_progress")
    promise.refresh_from_db()
    assert promise.status_reason == ""


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "not_rated"},
        {"status": "finished"},
        {"status": "kept", "progress": 80},
        {"narrative": "  "},
        {"progress": 101},
        {"progress": -1},
        {"spent_kzt": -5},
        {"at": timezone.now() + timedelta(days=2)},
    ],
)
@pytest.mark.django_db
def test_it_refuses_an_update_that_breaks_a_rule_and_records_nothing(promise, changes) -> None:
    with pytest.raises(ApplicationError):
        update(promise, **changes)
    assert not PromiseEvent.objects.exists()
    promise.refresh_from_db()
    assert promise.status == "not_rated"


@pytest.mark.django_db
def test_only_published_promises_of_a_sitting_akim_are_tracked(akim_a) -> None:
    draft = draft_program(akim_a, promises=1)
    with pytest.raises(ApplicationError) as refused:
        update(draft.promises.get())
    assert refused.value.code == "not_tracked"


@pytest.mark.django_db
def test_promises_of_an_akim_who_left_office_are_no_longer_tracked(promise, akim_a) -> None:
    mandate_end(mandate=akim_a, reason="resignation", note="Ушёл в отставку.")
    with pytest.raises(ApplicationError) as refused:
        update(promise)
    assert refused.value.code == "not_tracked"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    progress=st.one_of(st.integers(-5, 105), st.booleans(), st.floats(allow_nan=True), st.none()),
    spent=st.one_of(st.none(), st.integers(-10, 10**12), st.booleans(), st.text(max_size=3)),
)
@pytest.mark.django_db
def test_any_progress_and_spending_is_applied_or_refused_cleanly(promise, progress, spent) -> None:
    valid_progress = type(progress) is int and 0 <= progress <= 100
    valid_spent = spent is None or (type(spent) is int and spent >= 0)
    try:
        update(promise, progress=progress, spent_kzt=spent)
    except ApplicationError:
        assert not (valid_progress and valid_spent)
    else:
        assert valid_progress and valid_spent
