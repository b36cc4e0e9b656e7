"""programs_load_batch (the national demo's writer): the rules of the services, all or nothing."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from esep.core.errors import ApplicationError
from esep.programs.models import Program, Promise, PromiseStat
from esep.programs.services import ProgramRecord, PromiseRecord, UpdateRecord, programs_load_batch
from tests.elections.factories import make_sitting_akim
from tests.programs.factories import candidacy_of, failing_draft, promise_draft


def record(mandate, promises, **extra) -> ProgramRecord:
    return ProgramRecord(
        candidacy_id=candidacy_of(mandate).pk,
        published_at=timezone.now() - timedelta(days=30),
        promises=tuple(PromiseRecord(draft=p) if not isinstance(p, PromiseRecord) else p for p in promises),
        **extra,
    )


@pytest.mark.django_db
def test_it_loads_published_programs_with_their_history_and_summary_rows(akim_a, unit_b) -> None:
    other = make_sitting_akim(unit_b)
    kept = PromiseRecord(
        draft=promise_draft(1),
        updates=(
            UpdateRecord(
                at=timezone.now() - timedelta(days=2), status="kept", progress=100, narrative="Done."
            ),
        ),
    )
    report = programs_load_batch(
        records=[
            record(akim_a, [kept, promise_draft(2)]),
            record(other, [promise_draft(1)], amendment_reason="More.", amendment_adds=(failing_draft(),)),
        ]
    )
    assert (report.published, report.drafts, report.drafts_failing, report.events) == (2, 1, 1, 1)
    assert Promise.objects.get(program__rural_unit=akim_a.rural_unit, local_id="P1").status == "kept"
    draft = Program.objects.get(status="draft")
    assert list(draft.promises.values_list("local_id", flat=True)) == ["P1", "P2"]
    assert PromiseStat.objects.get(unit=akim_a.rural_unit).kept == 1


@pytest.mark.django_db
def test_a_published_program_with_an_error_fails_the_whole_batch(akim_a, unit_b) -> None:
    other = make_sitting_akim(unit_b)
    with pytest.raises(ApplicationError) as refused:
        programs_load_batch(records=[record(other, [promise_draft(1)]), record(akim_a, [failing_draft()])])
    assert refused.value.code == "check_failed" and "program 2" in str(refused.value.message)
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {
            "updates": (
                UpdateRecord(
                    at=timezone.now() - timedelta(days=60),
                    status="kept",
                    progress=100,
                    narrative="Too early.",
                ),
            )
        },
        {
            "updates": (
                UpdateRecord(
                    at=timezone.now() - timedelta(days=2), status="broken", progress=0, narrative="No reason."
                ),
            )
        },
        {"draft": replace(promise_draft(1), sector="nowhere")},
    ],
)
@pytest.mark.django_db
def test_rows_and_updates_break_the_same_rules_as_the_services(akim_a, change) -> None:
    promise = replace(PromiseRecord(draft=promise_draft(1)), **change)
    with pytest.raises(ApplicationError):
        programs_load_batch(records=[record(akim_a, [promise])])
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_a_candidacy_that_has_a_program_is_refused(akim_a) -> None:
    programs_load_batch(records=[record(akim_a, [promise_draft(1)])])
    with pytest.raises(ApplicationError) as refused:
        programs_load_batch(records=[record(akim_a, [promise_draft(1)])])
    assert refused.value.code == "duplicate"
