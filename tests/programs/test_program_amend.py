"""Published versions never change; an amendment is a new version with a reason, and its diff is shown."""

from dataclasses import replace

import pytest
from django.utils import timezone

from esep.core.errors import ApplicationError
from esep.programs import selectors
from esep.programs.diff import program_diff
from esep.programs.drafting import FundingDraft
from esep.programs.models import EventKind, Program, ProgramStatus, Promise, PromiseStatus
from esep.programs.services import (
    program_amend,
    program_discard,
    program_publish,
    program_save_draft,
    promise_record_update,
)
from tests.programs.factories import promise_draft, published_program


@pytest.fixture
def published(akim_a) -> Program:
    return published_program(akim_a, promises=3)


def drafts_of(program: Program) -> list:
    from esep.programs.drafting import draft_of

    return [draft_of(promise) for promise in selectors.program_get(program.pk).promises.all()]


@pytest.mark.django_db
def test_a_published_version_cannot_be_saved_published_again_or_discarded(published) -> None:
    for attempt in (
        lambda: program_save_draft(program=published, promises=[promise_draft(1)], actor=None),
        lambda: program_publish(program=published, actor=None),
        lambda: program_discard(program=published, actor=None),
    ):
        with pytest.raises(ApplicationError) as refused:
            attempt()
        assert refused.value.code == "published"
    assert published.promises.count() == 3


@pytest.mark.django_db
def test_an_amendment_needs_a_reason(published) -> None:
    with pytest.raises(ApplicationError):
        program_amend(program=published, reason="   ", actor=None)
    assert Program.objects.count() == 1


@pytest.mark.django_db
def test_an_amendment_copies_the_published_version_into_a_new_draft(published) -> None:
    draft = program_amend(program=published, reason="Residents asked for lighting.", actor=None)
    assert (draft.version, draft.status, draft.previous_id) == (2, ProgramStatus.DRAFT, published.pk)
    assert draft.amendment_reason == "Residents asked for lighting."
    assert drafts_of(draft) == drafts_of(published)
    assert draft.check_ok is True
    with pytest.raises(ApplicationError) as refused:
        program_amend(program=published, reason="A second one at once", actor=None)
    assert refused.value.code == "duplicate"


@pytest.mark.django_db
def test_publishing_an_amendment_supersedes_the_old_version_which_stays_as_it_was(published) -> None:
    before = drafts_of(published)
    draft = program_amend(program=published, reason="Costs went up.", actor=None)
    changed = [
        replace(
            d,
            cost_kzt=2_000_000,
            funding=(FundingDraft("local_budget", timezone.localdate().year, 2_000_000),),
        )
        if d.local_id == "P1"
        else d
        for d in drafts_of(draft)
    ]
    program_save_draft(program=draft, promises=changed, actor=None)
    program_publish(program=draft, actor=None)
    published.refresh_from_db()
    assert published.status == ProgramStatus.SUPERSEDED
    assert drafts_of(published) == before
    assert Program.objects.get(pk=draft.pk).status == ProgramStatus.PUBLISHED


@pytest.mark.django_db
def test_the_diff_names_promises_added_removed_and_fields_changed(published, client) -> None:
    draft = program_amend(program=published, reason="A new playground instead of street 3.", actor=None)
    rows = drafts_of(draft)
    rows = [replace(rows[0], title="Repair street number 1 and its pavements"), rows[1], promise_draft(4)]
    program_save_draft(program=draft, promises=rows, actor=None)
    diff = program_diff(selectors.program_get(published.pk), selectors.program_get(draft.pk))
    assert [p.local_id for p in diff.added] == ["P4"]
    assert [p.local_id for p in diff.removed] == ["P3"]
    assert [(c.local_id, [x.after for x in c.changes]) for c in diff.changed] == [
        ("P1", ["Repair street number 1 and its pavements"])
    ]
    program_publish(program=draft, actor=None)
    page = client.get(f"/programs/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A new playground instead of street 3." in page
    assert 'data-testid="diff-added"' in page and "P4" in page
    assert 'data-testid="diff-removed"' in page and "Repair street number 1 and its pavements" in page


@pytest.mark.django_db
def test_the_tracker_record_carries_over_and_a_left_out_promise_is_dropped_with_the_reason(published) -> None:
    p1 = published.promises.get(local_id="P1")
    promise_record_update(
        promise=p1,
        status="in_progress",
        progress=40,
        spent_kzt=400_000,
        narrative="Started.",
        actor=None,
        source="test",
    )
    draft = program_amend(program=published, reason="Street 3 goes to the district's program.", actor=None)
    rows = [d for d in drafts_of(draft) if d.local_id != "P3"]
    program_save_draft(program=draft, promises=rows, actor=None)
    program_publish(program=draft, actor=None)
    carried = Promise.objects.get(program=draft, local_id="P1")
    assert (carried.status, carried.progress, carried.spent_kzt) == ("in_progress", 40, 400_000)
    left_out = Promise.objects.get(program=published, local_id="P3")
    assert left_out.status == PromiseStatus.DROPPED and left_out.removed_in_id == draft.pk
    assert left_out.status_reason == "Street 3 goes to the district's program."
    assert left_out.events.get().kind == EventKind.REMOVED
    tracker = selectors.tracker(published.rural_unit, today=timezone.localdate())
    dropped = next(g for g in tracker.groups if g.status == "dropped")
    assert [p.local_id for p in dropped.promises] == ["P3"]
    # The timeline of P1 runs across both versions.
    assert [e.narrative for e in tracker.events["P1"]] == ["Started."]


@pytest.mark.django_db
def test_numbers_left_out_by_an_amendment_are_never_given_again(published) -> None:
    draft = program_amend(program=published, reason="Replace street 3.", actor=None)
    rows = [d for d in drafts_of(draft) if d.local_id != "P3"]
    program_save_draft(program=draft, promises=[*rows, promise_draft(9)], actor=None)
    assert set(draft.promises.values_list("local_id", flat=True)) == {"P1", "P2", "P4"}


@pytest.mark.django_db
def test_a_discarded_amendment_leaves_the_published_version_in_force(published) -> None:
    draft = program_amend(program=published, reason="Try something.", actor=None)
    program_discard(program=draft, actor=None)
    assert list(Program.objects.values_list("version", "status")) == [(1, "published")]
