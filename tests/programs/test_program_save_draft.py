"""program_save_draft: a draft's promises and funding lines replaced all at once, numbered, and checked."""

from dataclasses import replace

import pytest
from django.utils import timezone

from esep.core.errors import ApplicationError
from esep.programs.drafting import FundingDraft
from esep.programs.models import FundingLine, Promise, RuleSet
from esep.programs.services import program_save_draft, program_start
from tests.programs.factories import PLAN_ITEM, candidacy_of, failing_draft, promise_draft


@pytest.fixture
def draft(akim_a, english):
    return program_start(candidacy=candidacy_of(akim_a), actor=None)


@pytest.mark.django_db
def test_it_numbers_new_promises_and_keeps_the_numbers_of_saved_ones(draft) -> None:
    program_save_draft(program=draft, promises=[promise_draft(1), promise_draft(2)], actor=None)
    assert list(draft.promises.order_by("order").values_list("local_id", "title")) == [
        ("P1", "Repair street number 1"),
        ("P2", "Repair street number 2"),
    ]
    renamed = promise_draft(2, local_id="P2", title="Light the main street")
    program_save_draft(program=draft, promises=[renamed, promise_draft(3)], actor=None)
    assert list(draft.promises.order_by("order").values_list("local_id", "title")) == [
        ("P2", "Light the main street"),
        ("P3", "Repair street number 3"),
    ]
    assert FundingLine.objects.filter(promise__program=draft).count() == 2


@pytest.mark.django_db
def test_each_save_records_the_check_and_its_rule_set(draft) -> None:
    program_save_draft(program=draft, promises=[promise_draft(1), failing_draft(2)], actor=None)
    draft.refresh_from_db()
    assert draft.rule_set_version == "T-1" and draft.check_ok is False
    assert [f["code"] for f in draft.check_errors] == ["FUNDING_MISSING"]
    assert draft.check_errors[0]["promise"] == "P2"
    program_save_draft(program=draft, promises=[promise_draft(1, local_id="P1")], actor=None)
    draft.refresh_from_db()
    assert draft.check_ok is True and draft.check_errors == []


@pytest.mark.django_db
def test_a_draft_is_saved_even_when_no_rule_set_allows_a_check(draft) -> None:
    RuleSet.objects.all().delete()
    program_save_draft(program=draft, promises=[promise_draft(1)], actor=None)
    draft.refresh_from_db()
    assert draft.check_ok is None and "No rule set" in draft.check_report["problem"]
    assert draft.promises.count() == 1


@pytest.mark.django_db
def test_plan_lines_keep_their_item_and_the_check_sees_it(draft) -> None:
    year = timezone.localdate().year
    plan = promise_draft(
        1, cost=50_000_000, funding=[FundingDraft("development_plan", year, 50_000_000, PLAN_ITEM)]
    )
    program_save_draft(program=draft, promises=[plan], actor=None)
    draft.refresh_from_db()
    assert draft.check_ok is True
    assert FundingLine.objects.get(promise__program=draft).plan_item == PLAN_ITEM


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"power_code": "no.such_power"}, "not in the catalogue"),
        ({"funding": (FundingDraft("local_budget", 2026, 1_000_000, PLAN_ITEM),)}, "plan item"),
        ({"funding": (FundingDraft("development_plan", 2026, 1_000_000, ""),)}, "plan item"),
        ({"funding": (FundingDraft("sponsor", 1999, 1_000_000),)}, "year"),
        ({"title": "x" * 301}, "title"),
    ],
)
@pytest.mark.django_db
def test_it_refuses_rows_that_break_the_models_rules_and_writes_nothing(draft, change, message) -> None:
    program_save_draft(program=draft, promises=[promise_draft(1)], actor=None)
    with pytest.raises(ApplicationError) as refused:
        program_save_draft(program=draft, promises=[replace(promise_draft(2), **change)], actor=None)
    assert message in str(refused.value.message).lower()
    assert list(Promise.objects.filter(program=draft).values_list("title", flat=True)) == [
        "Repair street number 1"
    ]


@pytest.mark.django_db
def test_it_refuses_a_promise_number_of_another_draft(draft) -> None:
    with pytest.raises(ApplicationError):
        program_save_draft(program=draft, promises=[promise_draft(1, local_id="P7")], actor=None)
