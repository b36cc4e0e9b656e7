"""Each finding code appears exactly when its condition holds: the condition, its boundary, its absence."""

from esep.programs.checker import check_json
from tests.programs.builders import context, funding, plan_line, program, promise


def codes(report, pid: str | None = "P1") -> list[str]:
    return [f.code for f in report.findings if f.promise == pid]


def program_codes(report) -> list[str]:
    return codes(report, None)


def test_the_baseline_program_has_no_findings() -> None:
    report = check_json(program(), context())
    assert report.findings == ()
    assert report.ok is True
    assert report.to_dict() == {
        "ok": True,
        "rule_set": "2026-1",
        "findings": [],
        "totals": {
            "cost_kzt": 10_000_000,
            "funded_kzt": 10_000_000,
            "by_source": {
                "local_budget": 10_000_000,
                "district_budget": 0,
                "development_plan": 0,
                "republican_program": 0,
                "sponsor": 0,
            },
        },
    }


# --- FUNDING_MISSING ------------------------------------------------------------------------------------


def test_a_costly_promise_without_funding_lines_is_unfunded() -> None:
    report = check_json(program(promise(cost=5_000_000, lines=[])), context())
    assert codes(report) == ["FUNDING_MISSING"]
    finding = report.findings[0]
    assert finding.severity == "error" and "5 000 000" in finding.message
    assert report.ok is False


def test_a_promise_without_a_funding_key_is_unfunded_too() -> None:
    data = promise(cost=5_000_000)
    del data["funding"]
    assert codes(check_json(program(data), context())) == ["FUNDING_MISSING"]


def test_a_promise_that_costs_nothing_needs_no_funding() -> None:
    report = check_json(program(promise(cost=0, lines=[])), context())
    assert report.findings == () and report.ok


def test_a_funded_promise_is_not_reported_unfunded() -> None:
    report = check_json(program(promise(cost=5_000_000, lines=[funding(amount=1)])), context())
    assert "FUNDING_MISSING" not in codes(report)


# --- FUNDING_SHORT --------------------------------------------------------------------------------------


def test_funding_below_the_cost_is_short_and_says_by_how_much() -> None:
    lines = [funding(amount=3_000_000), funding("sponsor", amount=1_000_000)]
    report = check_json(program(promise(cost=5_000_000, lines=lines)), context())
    assert codes(report) == ["FUNDING_SHORT"]
    assert "4 000 000" in report.findings[0].message and "1 000 000" in report.findings[0].message


def test_funding_equal_to_the_cost_is_not_short() -> None:
    lines = [funding(amount=3_000_000), funding("sponsor", amount=2_000_000)]
    assert codes(check_json(program(promise(cost=5_000_000, lines=lines)), context())) == []


def test_funding_above_the_cost_is_not_short() -> None:
    lines = [funding(amount=6_000_000)]
    assert codes(check_json(program(promise(cost=5_000_000, lines=lines)), context())) == []


def test_a_promise_with_no_lines_is_missing_not_short() -> None:
    assert "FUNDING_SHORT" not in codes(check_json(program(promise(cost=5, lines=[])), context()))


# --- FUNDING_YEAR_OUTSIDE_TERM ---------------------------------------------------------------------------


def test_funding_in_the_first_and_last_year_of_the_term_is_inside() -> None:
    lines = [funding(year=2025, amount=1_000_000), funding("sponsor", year=2029, amount=1_000_000)]
    report = check_json(program(promise(cost=2_000_000, lines=lines)), context())
    assert report.findings == ()


def test_funding_the_year_before_the_term_is_outside() -> None:
    lines = [funding("sponsor", year=2024, amount=1_000_000)]
    report = check_json(program(promise(cost=1_000_000, lines=lines)), context())
    assert codes(report) == ["FUNDING_YEAR_OUTSIDE_TERM"]
    assert "2024" in report.findings[0].message


def test_funding_the_year_after_the_term_is_outside() -> None:
    lines = [funding("sponsor", year=2030, amount=1_000_000)]
    assert codes(check_json(program(promise(cost=1_000_000, lines=lines)), context())) == [
        "FUNDING_YEAR_OUTSIDE_TERM"
    ]


def test_several_lines_outside_the_term_give_one_finding_naming_every_year() -> None:
    lines = [
        funding("sponsor", year=2030, amount=1),
        funding("sponsor", year=2024, amount=1),
        funding("sponsor", year=2030, amount=1),
    ]
    report = check_json(program(promise(cost=3, lines=lines)), context())
    assert codes(report) == ["FUNDING_YEAR_OUTSIDE_TERM"]
    assert "2024, 2030" in report.findings[0].message


# --- DEADLINE_OUTSIDE_TERM ------------------------------------------------------------------------------


def test_deadlines_on_the_first_and_last_day_of_the_term_are_inside() -> None:
    first = promise("P1", deadline="2025-08-01")
    last = promise("P2", deadline="2029-07-31")
    assert check_json(program(first, last), context()).findings == ()


def test_a_deadline_the_day_before_the_term_is_outside() -> None:
    report = check_json(program(promise(deadline="2025-07-31")), context())
    assert codes(report) == ["DEADLINE_OUTSIDE_TERM"]
    assert "2025-07-31" in report.findings[0].message


def test_a_deadline_the_day_after_the_term_is_outside() -> None:
    assert codes(check_json(program(promise(deadline="2029-08-01")), context())) == ["DEADLINE_OUTSIDE_TERM"]


# --- LOCAL_BUDGET_UNKNOWN_YEAR ---------------------------------------------------------------------------


def test_local_budget_spending_in_a_year_without_forecast_is_a_program_finding() -> None:
    ctx = context(local_budget={"2026": 120_000_000})
    report = check_json(program(promise(lines=[funding(year=2027, amount=10_000_000)])), ctx)
    assert program_codes(report) == ["LOCAL_BUDGET_UNKNOWN_YEAR"]
    assert codes(report) == []
    assert "2027" in report.findings[0].message and report.findings[0].promise is None


def test_each_year_without_forecast_is_reported_once() -> None:
    ctx = context(local_budget={})
    first = promise("P1", lines=[funding(year=2027, amount=10_000_000)])
    second = promise("P2", lines=[funding(year=2027, amount=5_000_000), funding(year=2028, amount=5_000_000)])
    report = check_json(program(first, second), ctx)
    assert program_codes(report) == ["LOCAL_BUDGET_UNKNOWN_YEAR", "LOCAL_BUDGET_UNKNOWN_YEAR"]
    assert "2027" in report.findings[0].message and "2028" in report.findings[1].message


def test_other_sources_need_no_local_forecast() -> None:
    ctx = context(local_budget={})
    report = check_json(
        program(promise(lines=[funding("district_budget", year=2027, amount=10_000_000)])), ctx
    )
    assert report.findings == ()


def test_a_year_with_a_forecast_is_not_unknown() -> None:
    ctx = context(local_budget={"2027": 100_000_000})
    report = check_json(program(promise(lines=[funding(year=2027, amount=10_000_000)])), ctx)
    assert report.findings == ()


# --- LOCAL_BUDGET_EXCEEDED -------------------------------------------------------------------------------


def test_spending_exactly_the_allowed_share_is_allowed() -> None:
    # 0.3 x 120 000 000 = 36 000 000 exactly.
    report = check_json(program(promise(cost=36_000_000, lines=[funding(amount=36_000_000)])), context())
    assert report.findings == ()


def test_one_tenge_above_the_allowed_share_exceeds_it() -> None:
    report = check_json(program(promise(cost=36_000_001, lines=[funding(amount=36_000_001)])), context())
    assert program_codes(report) == ["LOCAL_BUDGET_EXCEEDED"]
    message = report.findings[0].message
    assert "2026" in message and "30%" in message and "36 000 000" in message and "2026-1" in message


def test_the_share_adds_up_the_lines_of_every_promise_in_the_year() -> None:
    first = promise("P1", cost=20_000_000, lines=[funding(amount=20_000_000)])
    second = promise("P2", cost=20_000_000, lines=[funding(amount=20_000_000)])
    report = check_json(program(first, second), context())
    assert [f.code for f in report.findings] == ["LOCAL_BUDGET_EXCEEDED"]


def test_spending_in_different_years_is_not_added_up() -> None:
    first = promise("P1", cost=30_000_000, lines=[funding(year=2026, amount=30_000_000)])
    second = promise("P2", cost=30_000_000, lines=[funding(year=2027, amount=30_000_000)])
    assert check_json(program(first, second), context()).findings == ()


def test_the_share_is_compared_in_exact_decimals_not_binary_floats() -> None:
    # In binary floats 0.29 * 100 is 28.999999999999996, which would call 29 tenge out of 100 "exceeded".
    ctx = context(rules={"version": "x", "max_local_budget_share": 0.29}, local_budget={"2026": 100})
    assert check_json(program(promise(cost=29, lines=[funding(amount=29)])), ctx).findings == ()
    assert program_codes(check_json(program(promise(cost=30, lines=[funding(amount=30)])), ctx)) == [
        "LOCAL_BUDGET_EXCEEDED"
    ]


def test_other_sources_do_not_count_against_the_local_budget_share() -> None:
    lines = [funding("district_budget", amount=100_000_000)]
    assert check_json(program(promise(cost=100_000_000, lines=lines)), context()).findings == ()


# --- PLAN_ITEM_UNKNOWN -----------------------------------------------------------------------------------


def test_a_plan_line_naming_an_item_not_in_the_plan_is_unknown() -> None:
    lines = [plan_line("ABA-2026-999", amount=5), plan_line("ABA-2026-998", amount=5)]
    report = check_json(program(promise(cost=10, lines=lines)), context())
    assert codes(report) == ["PLAN_ITEM_UNKNOWN"]
    assert "ABA-2026-998, ABA-2026-999" in report.findings[0].message
    assert program_codes(report) == []


def test_a_plan_line_naming_a_known_item_is_not_unknown() -> None:
    report = check_json(program(promise(cost=100_000_000, lines=[plan_line()])), context())
    assert report.findings == ()


# --- PLAN_TERRITORY_MISMATCH ------------------------------------------------------------------------------


def plan_with_territories(*territories: str) -> dict:
    return context(
        development_plan=[
            {"code": "ABA-2026-014", "territories": list(territories), "allocations": {"2027": 10**9}}
        ]
    )


def test_an_item_for_the_unit_its_district_or_its_region_matches() -> None:
    for territory in ("103230000", "103200000", "100000000"):
        report = check_json(
            program(promise(cost=100_000_000, lines=[plan_line()])), plan_with_territories(territory)
        )
        assert report.findings == (), territory


def test_an_item_for_another_district_does_not_match() -> None:
    report = check_json(
        program(promise(cost=100_000_000, lines=[plan_line()])), plan_with_territories("104400000")
    )
    assert codes(report) == ["PLAN_TERRITORY_MISMATCH"]
    assert "ABA-2026-014" in report.findings[0].message


def test_an_item_for_a_neighbouring_unit_of_the_same_district_does_not_match() -> None:
    ctx = plan_with_territories("103233000", "104400000")
    assert codes(check_json(program(promise(cost=100_000_000, lines=[plan_line()])), ctx)) == [
        "PLAN_TERRITORY_MISMATCH"
    ]


def test_an_item_covering_several_territories_matches_if_one_is_ours() -> None:
    ctx = plan_with_territories("104400000", "103200000")
    assert check_json(program(promise(cost=100_000_000, lines=[plan_line()])), ctx).findings == ()


# --- PLAN_ITEM_OVERCOMMITTED ------------------------------------------------------------------------------


def test_taking_exactly_what_is_left_of_an_item_is_allowed() -> None:
    # allocated 500 000 000 in 2027, committed 300 000 000: 200 000 000 is left.
    report = check_json(program(promise(cost=200_000_000, lines=[plan_line(amount=200_000_000)])), context())
    assert report.findings == ()


def test_taking_one_tenge_more_than_is_left_overcommits_the_item() -> None:
    report = check_json(program(promise(cost=200_000_001, lines=[plan_line(amount=200_000_001)])), context())
    assert program_codes(report) == ["PLAN_ITEM_OVERCOMMITTED"]
    message = report.findings[0].message
    assert "ABA-2026-014" in message and "2027" in message and "200 000 000" in message


def test_lines_of_several_promises_from_one_item_and_year_add_up() -> None:
    first = promise("P1", cost=100_000_000, lines=[plan_line(amount=100_000_000)])
    second = promise("P2", cost=100_000_001, lines=[plan_line(amount=100_000_001)])
    report = check_json(program(first, second), context())
    assert [f.code for f in report.findings] == ["PLAN_ITEM_OVERCOMMITTED"]


def test_a_year_the_item_does_not_allocate_has_nothing_available() -> None:
    report = check_json(program(promise(cost=1, lines=[plan_line(year=2028, amount=1)])), context())
    assert program_codes(report) == ["PLAN_ITEM_OVERCOMMITTED"]


def test_an_item_without_commitments_offers_its_whole_allocation() -> None:
    lines = [plan_line("ABA-2026-020", year=2028, amount=900_000_000)]
    ctx = plan_with_territories("103200000")
    ctx["development_plan"][0].update(code="ABA-2026-020", allocations={"2028": 900_000_000})
    assert check_json(program(promise(cost=900_000_000, lines=lines)), ctx).findings == ()


def test_each_item_and_year_is_reported_separately() -> None:
    ctx = context(
        development_plan=[
            {"code": "A-1", "territories": ["103200000"], "allocations": {"2026": 10, "2027": 10}},
            {"code": "B-1", "territories": ["103200000"], "allocations": {"2026": 10}},
        ]
    )
    lines = [plan_line("B-1", 2026, 11), plan_line("A-1", 2027, 11), plan_line("A-1", 2026, 11)]
    report = check_json(program(promise(cost=33, lines=lines)), ctx)
    assert program_codes(report) == ["PLAN_ITEM_OVERCOMMITTED"] * 3
    assert ["A-1" in f.message and "2026" in f.message for f in report.findings] == [True, False, False]
    assert "A-1" in report.findings[1].message and "2027" in report.findings[1].message
    assert "B-1" in report.findings[2].message


def test_an_unknown_item_is_not_also_overcommitted() -> None:
    report = check_json(program(promise(cost=1, lines=[plan_line("NOPE-1", amount=1)])), context())
    assert [f.code for f in report.findings] == ["PLAN_ITEM_UNKNOWN"]


# --- OUTSIDE_POWERS --------------------------------------------------------------------------------------


def test_a_power_of_the_rural_akim_is_inside_its_powers() -> None:
    assert check_json(program(promise(power="roads.maintenance")), context()).findings == ()


def test_a_power_of_the_district_akim_is_outside() -> None:
    report = check_json(program(promise(power="roads.district_network")), context())
    assert codes(report) == ["OUTSIDE_POWERS"]
    assert "roads.district_network" in report.findings[0].message


def test_a_power_of_the_police_is_outside() -> None:
    assert codes(check_json(program(promise(power="police.patrol")), context())) == ["OUTSIDE_POWERS"]


def test_a_power_not_in_the_catalogue_is_outside() -> None:
    report = check_json(program(promise(power="roads.build_a_bridge")), context())
    assert codes(report) == ["OUTSIDE_POWERS"]
    assert "not in the catalogue" in report.findings[0].message


def test_a_promise_naming_no_power_is_outside() -> None:
    data = promise()
    del data["power"]
    assert codes(check_json(program(data), context())) == ["OUTSIDE_POWERS"]
    assert codes(check_json(program(promise(power=None)), context())) == ["OUTSIDE_POWERS"]


# --- NO_INDICATOR ----------------------------------------------------------------------------------------


def test_a_promise_without_indicator_gets_a_warning_and_stays_ok() -> None:
    data = promise()
    del data["indicator"]
    report = check_json(program(data), context())
    assert codes(report) == ["NO_INDICATOR"]
    assert report.findings[0].severity == "warning"
    assert report.ok is True


def test_an_indicator_without_a_numeric_target_gets_a_warning() -> None:
    for indicator in ({"name": "road"}, {"name": "road", "target": None}, {"name": "road", "target": "done"}):
        report = check_json(program(promise(indicator=indicator)), context())
        assert codes(report) == ["NO_INDICATOR"], indicator
    assert "road" in report.findings[0].message


def test_numeric_targets_including_zero_and_fractions_need_no_warning() -> None:
    for target in (0, 2.5, -3):
        assert (
            check_json(program(promise(indicator={"name": "x", "target": target})), context()).findings == ()
        )


# --- Shape of the report --------------------------------------------------------------------------------


def test_findings_come_in_program_order_then_by_code_then_program_level() -> None:
    second = promise("B", power="police.patrol", deadline="2031-01-01", cost=5, lines=[])
    first = promise("A", indicator=None, lines=[funding(amount=50_000_000)], cost=50_000_000)
    report = check_json(program(second, first), context())
    assert [(f.promise, f.code) for f in report.findings] == [
        ("B", "DEADLINE_OUTSIDE_TERM"),
        ("B", "FUNDING_MISSING"),
        ("B", "OUTSIDE_POWERS"),
        ("A", "NO_INDICATOR"),
        (None, "LOCAL_BUDGET_EXCEEDED"),
    ]


def test_the_report_names_the_rule_set_version_it_used() -> None:
    ctx = context(rules={"version": "2027-3", "max_local_budget_share": 0.5})
    assert check_json(program(), ctx).to_dict()["rule_set"] == "2027-3"


def test_every_finding_in_the_output_has_code_severity_promise_and_message() -> None:
    report = check_json(program(promise(cost=5, lines=[])), context()).to_dict()
    assert report["ok"] is False
    assert report["findings"] == [
        {
            "code": "FUNDING_MISSING",
            "severity": "error",
            "promise": "P1",
            "message": "The promise costs 5 tenge but has no funding lines.",
        }
    ]
