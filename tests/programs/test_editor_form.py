"""ProgramEditor: rows read in page order by their keys, tenge typed with spaces, plan items only on plan
lines, and a damaged form said plainly."""

import pytest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from esep.programs.forms import ProgramEditor, TengeField
from esep.programs.models import MAX_PROMISES
from esep.programs.selectors import EditorChoices

CHOICES = EditorChoices(
    powers=[("roads.maintenance", "roads")], plan_items=[("AB-1", "AB-1 — roads")], forecast={}
)


def data(**values) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in values.items():
        key = key.replace("__", "-")
        for item in value if isinstance(value, list) else [value]:
            query.appendlist(key, item)
    return query


def row(key: str, title: str, line: dict | None = None) -> dict:
    values = {
        f"{key}__title": title,
        f"{key}__sector": "roads",
        f"{key}__power": "roads.maintenance",
        f"{key}__deadline": "2027-06-01",
        f"{key}__cost_kzt": "1 500 000",
        f"{key}__line": ["fa"] if line else [],
    }
    for name, value in (line or {}).items():
        values[f"{key}__fa__{name}"] = value
    return values


def test_rows_are_read_in_the_order_of_their_keys_and_tenge_may_have_spaces() -> None:
    line = {"source": "sponsor", "year": "2027", "amount_kzt": "1\u00a0500\u00a0000", "plan_item": "AB-1"}
    editor = ProgramEditor(
        choices=CHOICES,
        data=data(promise=["n12345678", "P3"], **row("P3", "Third"), **row("n12345678", "New", line)),
    )
    assert editor.is_valid(), editor.problems()
    drafts = editor.drafts()
    assert [(d.local_id, d.title, d.cost_kzt) for d in drafts] == [
        ("", "New", 1_500_000),
        ("P3", "Third", 1_500_000),
    ]
    assert drafts[0].funding[0].amount_kzt == 1_500_000
    assert drafts[0].funding[0].plan_item == ""  # only a development-plan line keeps its item


def test_a_plan_line_must_name_its_item() -> None:
    line = {"source": "development_plan", "year": "2027", "amount_kzt": "100", "plan_item": ""}
    editor = ProgramEditor(choices=CHOICES, data=data(promise=["P1"], **row("P1", "One", line)))
    assert not editor.is_valid()
    assert any("plan item" in problem for problem in editor.problems())


def test_a_damaged_key_or_too_many_rows_is_said_plainly() -> None:
    editor = ProgramEditor(choices=CHOICES, data=data(promise=["<script>"]))
    assert not editor.is_valid() and editor.problems() == ["The form is damaged: reload the page."]
    many = ProgramEditor(choices=CHOICES, data=data(promise=[f"n{n:08x}" for n in range(MAX_PROMISES + 1)]))
    assert not many.is_valid()
    assert len(many.rows) == MAX_PROMISES


def test_a_power_no_longer_offered_stays_visible_so_the_check_can_name_it() -> None:
    editor = ProgramEditor(
        choices=CHOICES, data=data(promise=["P1"], **{**row("P1", "One"), "P1__power": "old.power"})
    )
    assert editor.is_valid()
    assert editor.drafts()[0].power_code == "old.power"


@given(st.integers(min_value=0, max_value=10**13))
def test_tenge_reads_any_grouping_of_a_whole_amount(amount) -> None:
    grouped = f"{amount:,}".replace(",", " ")
    assert TengeField(min_value=0).clean(grouped) == amount


@given(st.text(max_size=12))
def test_tenge_refuses_anything_but_a_whole_amount_with_a_validation_error(text) -> None:
    from django.core.exceptions import ValidationError

    field = TengeField(min_value=0, max_value=10**13, required=False)
    try:
        value = field.clean(text)
    except ValidationError:
        return
    assert value is None or (isinstance(value, int) and 0 <= value <= 10**13)


pytestmark = pytest.mark.usefixtures("english")
