"""Invalid input is refused with the JSON path of the problem; anything else is never a crash."""

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from esep.programs.checker import CheckInputError, parse_context, parse_program
from tests.programs.builders import context, funding, plan_line, program, promise


def error_of(parse, data) -> CheckInputError:
    with pytest.raises(CheckInputError) as caught:
        parse(data)
    return caught.value


def program_error(data) -> CheckInputError:
    return error_of(parse_program, data)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda p: p.update(rural_unit="10323000"), "$.rural_unit"),
        (lambda p: p.update(rural_unit=103230000), "$.rural_unit"),
        (lambda p: p.update(rural_unit="10323000X"), "$.rural_unit"),
        (lambda p: p["term"].update(start="2025-02-30"), "$.term.start"),
        (lambda p: p["term"].update(end="31.07.2029"), "$.term.end"),
        (lambda p: p["term"].update(start="2030-01-01"), "$.term.end"),
        (lambda p: p.update(promises={}), "$.promises"),
        (lambda p: p.update(extra=1), "$.extra"),
        (lambda p: p.pop("term"), "$.term"),
        (lambda p: p["promises"][0].update(cost_kzt=-1), "$.promises[0].cost_kzt"),
        (lambda p: p["promises"][0].update(cost_kzt="150000000"), "$.promises[0].cost_kzt"),
        (lambda p: p["promises"][0].update(cost_kzt=True), "$.promises[0].cost_kzt"),
        (lambda p: p["promises"][0].update(cost_kzt=10.5), "$.promises[0].cost_kzt"),
        (lambda p: p["promises"][0].update(cost_kzt=float("inf")), "$.promises[0].cost_kzt"),
        (lambda p: p["promises"][0].update(deadline="2027-13-01"), "$.promises[0].deadline"),
        (lambda p: p["promises"][0].update(id=""), "$.promises[0].id"),
        (lambda p: p["promises"][0].update(titel="typo"), "$.promises[0].titel"),
        (
            lambda p: p["promises"][0]["funding"][0].update(amount_kzt=-5),
            "$.promises[0].funding[0].amount_kzt",
        ),
        (
            lambda p: p["promises"][0]["funding"][0].update(amount_kzt=0),
            "$.promises[0].funding[0].amount_kzt",
        ),
        (
            lambda p: p["promises"][0]["funding"][0].update(source="bank_loan"),
            "$.promises[0].funding[0].source",
        ),
        (lambda p: p["promises"][0]["funding"][0].update(year="2026"), "$.promises[0].funding[0].year"),
        (lambda p: p["promises"][0]["funding"][0].update(year=1999), "$.promises[0].funding[0].year"),
        (
            lambda p: p["promises"][0]["funding"][0].update(plan_item="X-1"),
            "$.promises[0].funding[0].plan_item",
        ),
        (lambda p: p["promises"][0].update(indicator={"target": 5}), "$.promises[0].indicator.name"),
        (
            lambda p: p["promises"][0].update(indicator={"name": "x", "target": True}),
            "$.promises[0].indicator.target",
        ),
        (lambda p: p["promises"][0].update(indicator=[]), "$.promises[0].indicator"),
    ],
)
def test_invalid_programs_name_the_json_path(change, path) -> None:
    data = program()
    change(data)
    assert program_error(data).path == path


def test_a_deep_path_names_the_promise_and_line_index() -> None:
    data = program(promise("P1"), promise("P2"), promise("P3"))
    data["promises"][2]["funding"].append(funding(amount=-1))
    error = program_error(data)
    assert error.path == "$.promises[2].funding[1].amount_kzt"
    assert str(error).startswith("$.promises[2].funding[1].amount_kzt: ")


def test_a_plan_line_must_name_its_item() -> None:
    line = plan_line()
    del line["plan_item"]
    assert program_error(program(promise(lines=[line]))).path == "$.promises[0].funding[0].plan_item"


def test_promise_ids_are_unique() -> None:
    error = program_error(program(promise("P1"), promise("P1")))
    assert error.path == "$.promises[1].id" and "P1" in error.message


def test_integral_floats_are_whole_tenge() -> None:
    data = program(promise(cost=0, lines=[funding(amount=5.0)]))
    data["promises"][0]["cost_kzt"] = 150000000.0
    parsed = parse_program(data)
    assert parsed.promises[0].cost_kzt == 150_000_000 and isinstance(parsed.promises[0].cost_kzt, int)
    assert parsed.promises[0].funding[0].amount_kzt == 5


def test_a_term_of_one_day_is_valid() -> None:
    data = program(promise(deadline="2026-01-01"), start="2026-01-01", end="2026-01-01")
    assert parse_program(data).term.start == parse_program(data).term.end


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda c: c["rules"].pop("max_local_budget_share"), "$.rules.max_local_budget_share"),
        (lambda c: c["rules"].update(max_local_budget_share=1.5), "$.rules.max_local_budget_share"),
        (lambda c: c["rules"].update(max_local_budget_share="0.3"), "$.rules.max_local_budget_share"),
        (lambda c: c["rules"].pop("version"), "$.rules.version"),
        (lambda c: c.pop("powers"), "$.powers"),
        (lambda c: c.update(local_budget={"2026": -1}), "$.local_budget['2026']"),
        (lambda c: c.update(local_budget={"26": 1}), "$.local_budget['26']"),
        (lambda c: c.update(local_budget=[]), "$.local_budget"),
        (
            lambda c: c["development_plan"][1].update(territories=["1044"]),
            "$.development_plan[1].territories[0]",
        ),
        (
            lambda c: c["development_plan"][0]["allocations"].update({"2027": 1.5}),
            "$.development_plan[0].allocations['2027']",
        ),
        (lambda c: c["development_plan"][1].update(code="ABA-2026-014"), "$.development_plan[1].code"),
        (lambda c: c["powers"][0].update(level="village"), "$.powers[0].level"),
        (lambda c: c["powers"].append({"code": "roads.maintenance", "level": "rural"}), "$.powers[3].code"),
        (lambda c: c.update(local_budgets={}), "$.local_budgets"),
    ],
)
def test_invalid_contexts_name_the_json_path(change, path) -> None:
    data = context()
    change(data)
    assert error_of(parse_context, data).path == path


def test_rules_may_carry_other_parameters_of_the_government() -> None:
    data = context(rules={"version": "2026-1", "max_local_budget_share": 0.3, "report_period_months": 6})
    assert parse_context(data).rules.parameters == {"report_period_months": 6}


# --- Hypothesis: whatever JSON comes in, the parser answers with a result or a CheckInputError -------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)

PROGRAM_SLOTS = [
    ("rural_unit",),
    ("term",),
    ("term", "start"),
    ("promises",),
    ("promises", 0),
    ("promises", 0, "id"),
    ("promises", 0, "cost_kzt"),
    ("promises", 0, "deadline"),
    ("promises", 0, "power"),
    ("promises", 0, "indicator"),
    ("promises", 0, "indicator", "target"),
    ("promises", 0, "funding"),
    ("promises", 0, "funding", 0),
    ("promises", 0, "funding", 0, "source"),
    ("promises", 0, "funding", 0, "year"),
    ("promises", 0, "funding", 0, "amount_kzt"),
    ("promises", 0, "funding", 0, "plan_item"),
]


def replaced(document: dict, slot: tuple, value: object) -> dict:
    document = copy.deepcopy(document)
    target = document
    for key in slot[:-1]:
        target = target[key]
    target[slot[-1]] = value
    return document


@settings(max_examples=300, deadline=None)
@given(slot=st.sampled_from(PROGRAM_SLOTS), value=json_values)
def test_any_json_in_any_program_slot_parses_or_names_a_path(slot, value) -> None:
    document = replaced(program(promise(lines=[funding()])), slot, value)
    try:
        parsed = parse_program(document)
    except CheckInputError as error:
        assert error.path.startswith("$")
        assert error.message
    else:
        assert parsed.rural_unit.isdigit() and len(parsed.rural_unit) == 9
        assert all(
            p.cost_kzt >= 0 and all(line.amount_kzt > 0 for line in p.funding) for p in parsed.promises
        )


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.integers(), st.floats(), st.booleans(), st.text(max_size=5), st.none()))
def test_an_amount_is_accepted_only_as_a_whole_non_negative_number(value) -> None:
    document = program(promise(cost=0, lines=[]))
    document["promises"][0]["cost_kzt"] = value
    whole = (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and value == value  # not NaN
        and value not in (float("inf"), float("-inf"))
        and float(value).is_integer()
        and value >= 0
    )
    if whole:
        assert parse_program(document).promises[0].cost_kzt == int(value)
    else:
        assert program_error(document).path == "$.promises[0].cost_kzt"


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=12))
def test_a_rural_unit_is_exactly_nine_ascii_digits(text) -> None:
    document = program()
    document["rural_unit"] = text
    if len(text) == 9 and all(ch in "0123456789" for ch in text):
        assert parse_program(document).rural_unit == text
    else:
        assert program_error(document).path == "$.rural_unit"


def test_documents_survive_a_json_round_trip() -> None:
    document = json.loads(json.dumps(program(promise(lines=[funding(), plan_line()]))))
    assert len(parse_program(document).promises[0].funding) == 2
