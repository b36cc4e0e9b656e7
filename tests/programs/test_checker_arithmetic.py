"""The checker's arithmetic against a plain re-computation, over many generated programs."""

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from esep.programs.checker import FUNDING_SOURCES, check_json
from tests.programs.builders import context, program, promise

YEARS = st.integers(2025, 2029)
AMOUNTS = st.integers(1, 10**10)
PLAIN_SOURCES = [source for source in FUNDING_SOURCES if source != "development_plan"]

lines_strategy = st.lists(
    st.one_of(
        st.builds(
            lambda source, year, amount: {"source": source, "year": year, "amount_kzt": amount},
            st.sampled_from(PLAIN_SOURCES),
            YEARS,
            AMOUNTS,
        ),
        st.builds(
            lambda item, year, amount: {
                "source": "development_plan",
                "plan_item": item,
                "year": year,
                "amount_kzt": amount,
            },
            st.sampled_from(["ABA-2026-014", "ABA-2026-020", "NOPE-1"]),
            YEARS,
            AMOUNTS,
        ),
    ),
    max_size=5,
)
promises_strategy = st.lists(st.tuples(st.integers(0, 10**11), lines_strategy), min_size=1, max_size=6)


def build(promises: list[tuple[int, list[dict]]]) -> dict:
    return program(*(promise(f"P{i}", cost=cost, lines=lines) for i, (cost, lines) in enumerate(promises)))


@settings(max_examples=300, deadline=None)
@given(promises=promises_strategy)
def test_totals_are_the_sums_of_the_costs_and_of_the_lines(promises) -> None:
    totals = check_json(build(promises), context()).to_dict()["totals"]
    every_line = [line for _cost, lines in promises for line in lines]
    assert totals["cost_kzt"] == sum(cost for cost, _lines in promises)
    assert totals["funded_kzt"] == sum(line["amount_kzt"] for line in every_line)
    assert sum(totals["by_source"].values()) == totals["funded_kzt"]
    assert list(totals["by_source"]) == list(FUNDING_SOURCES)
    for source in FUNDING_SOURCES:
        assert totals["by_source"][source] == sum(
            line["amount_kzt"] for line in every_line if line["source"] == source
        )


@settings(max_examples=300, deadline=None)
@given(promises=promises_strategy)
def test_funding_findings_hold_exactly_when_their_arithmetic_says_so(promises) -> None:
    report = check_json(build(promises), context())
    for index, (cost, lines) in enumerate(promises):
        codes = {f.code for f in report.findings if f.promise == f"P{index}"}
        funded = sum(line["amount_kzt"] for line in lines)
        assert ("FUNDING_MISSING" in codes) == (cost > 0 and not lines)
        assert ("FUNDING_SHORT" in codes) == (0 < funded < cost)
    assert report.ok == (not any(f.severity == "error" for f in report.findings))


@settings(max_examples=300, deadline=None)
@given(
    percent=st.integers(0, 100),
    forecast=st.integers(0, 10**9),
    amounts=st.lists(st.tuples(YEARS, st.integers(1, 10**9)), min_size=1, max_size=6),
)
def test_the_local_budget_share_is_exceeded_exactly_above_the_limit(percent, forecast, amounts) -> None:
    ctx = context(
        rules={"version": "t", "max_local_budget_share": percent / 100},
        local_budget={str(year): forecast for year in range(2025, 2030)},
    )
    lines = [{"source": "local_budget", "year": year, "amount_kzt": amount} for year, amount in amounts]
    report = check_json(program(promise(cost=0, lines=lines)), ctx)
    spent = defaultdict(int)
    for year, amount in amounts:
        spent[year] += amount
    # Integer arithmetic: amount > percent/100 x forecast  <=>  100 x amount > percent x forecast.
    expected = sorted(year for year, amount in spent.items() if 100 * amount > percent * forecast)
    exceeded = [f for f in report.findings if f.code == "LOCAL_BUDGET_EXCEEDED"]
    assert len(exceeded) == len(expected)
    assert all(str(year) in finding.message for year, finding in zip(expected, exceeded, strict=True))


@settings(max_examples=300, deadline=None)
@given(
    allocation=st.integers(0, 10**9),
    committed=st.integers(0, 10**9),
    amounts=st.lists(st.integers(1, 10**9), min_size=1, max_size=4),
)
def test_a_plan_item_is_overcommitted_exactly_when_lines_exceed_what_is_left(
    allocation, committed, amounts
) -> None:
    ctx = context(
        development_plan=[
            {
                "code": "ABA-2026-014",
                "territories": ["103200000"],
                "allocations": {"2027": allocation},
                "committed": {"2027": committed},
            }
        ]
    )
    lines = [
        {"source": "development_plan", "plan_item": "ABA-2026-014", "year": 2027, "amount_kzt": amount}
        for amount in amounts
    ]
    report = check_json(program(promise(cost=0, lines=lines)), ctx)
    overcommitted = [f for f in report.findings if f.code == "PLAN_ITEM_OVERCOMMITTED"]
    assert len(overcommitted) == (1 if sum(amounts) > allocation - committed else 0)
