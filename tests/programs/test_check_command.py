"""`esep programs check`: exit 0 without errors, 1 with errors, 2 when the input itself is invalid."""

import json
import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from esep.programs.services import budget_import_csv, rule_set_publish
from tests.conftest import ROOT
from tests.programs.builders import context, funding, program, promise

EXAMPLES = ROOT / "docs" / "examples"


def write(tmp_path: Path, name: str, document: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("programs", "check", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_a_clean_program_exits_0_and_prints_the_report_as_json(tmp_path) -> None:
    code, output = run(
        write(tmp_path, "p.json", program()), "--context", write(tmp_path, "c.json", context())
    )
    assert code == 0
    assert json.loads(output) == {
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


def test_warnings_alone_still_exit_0(tmp_path) -> None:
    code, _output = run(
        write(tmp_path, "p.json", program(promise(indicator=None))),
        "--context",
        write(tmp_path, "c.json", context()),
    )
    assert code == 0


def test_a_program_with_errors_exits_1(tmp_path) -> None:
    code, output = run(
        write(tmp_path, "p.json", program(promise(cost=5, lines=[]))),
        "--context",
        write(tmp_path, "c.json", context()),
    )
    assert code == 1
    assert '"FUNDING_MISSING"' in output


def test_the_text_format_lists_findings_and_the_verdict(tmp_path) -> None:
    code, output = run(
        write(tmp_path, "p.json", program(promise(cost=5, lines=[]))),
        "--context",
        write(tmp_path, "c.json", context()),
        "--format",
        "text",
    )
    assert code == 1
    assert "FUNDING_MISSING" in output and "NOT OK: 1 errors, 0 warnings (rule set 2026-1)." in output


def test_an_invalid_program_exits_2_naming_the_json_path(tmp_path) -> None:
    bad = program(promise(lines=[funding(amount=-1)]))
    code, output = run(write(tmp_path, "p.json", bad), "--context", write(tmp_path, "c.json", context()))
    assert code == 2
    assert "$.promises[0].funding[0].amount_kzt" in output


def test_an_invalid_context_exits_2_naming_the_json_path(tmp_path) -> None:
    bad = context(rules={"version": "x"})
    code, output = run(write(tmp_path, "p.json", program()), "--context", write(tmp_path, "c.json", bad))
    assert (code, "$.rules.max_local_budget_share" in output) == (2, True)


def test_a_file_that_is_not_json_exits_2(tmp_path) -> None:
    path = tmp_path / "p.json"
    path.write_text("{not json", encoding="utf-8")
    code, output = run(str(path), "--context", write(tmp_path, "c.json", context()))
    assert code == 2 and "not JSON" in output


def test_a_missing_file_exits_2(tmp_path) -> None:
    code, _output = run(str(tmp_path / "nowhere.json"), "--context", write(tmp_path, "c.json", context()))
    assert code == 2


def test_the_documented_examples_give_the_documented_exit_codes() -> None:
    context_path = str(EXAMPLES / "context.json")
    assert run(str(EXAMPLES / "program.json"), "--context", context_path)[0] == 0
    code, output = run(str(EXAMPLES / "program-with-errors.json"), "--context", context_path)
    assert code == 1
    assert {f["code"] for f in json.loads(output[: output.rindex("}") + 1])["findings"]} == {
        "DEADLINE_OUTSIDE_TERM",
        "FUNDING_SHORT",
        "OUTSIDE_POWERS",
        "PLAN_TERRITORY_MISMATCH",
        "FUNDING_MISSING",
        "NO_INDICATOR",
        "FUNDING_YEAR_OUTSIDE_TERM",
        "PLAN_ITEM_UNKNOWN",
        "LOCAL_BUDGET_EXCEEDED",
        "LOCAL_BUDGET_UNKNOWN_YEAR",
        "PLAN_ITEM_OVERCOMMITTED",
    }


@pytest.mark.django_db
def test_without_context_the_database_gives_rules_budget_and_powers(tmp_path, unit_a) -> None:
    rule_set_publish(
        version="t-1", effective_from=date(2025, 1, 1), parameters={"max_local_budget_share": 0.3}
    )
    csv = tmp_path / "budget.csv"
    csv.write_text(f"unit,year,source,amount_kzt\n{unit_a.kato},2026,land_tax,100000000\n", encoding="utf-8")
    budget_import_csv(path=csv)
    ok = program(promise(cost=30_000_000, lines=[funding(amount=30_000_000)]))
    code, output = run(write(tmp_path, "p.json", ok), "--on", "2026-03-01")
    assert code == 0 and json.loads(output)["rule_set"] == "t-1"
    too_much = program(promise(cost=30_000_001, lines=[funding(amount=30_000_001)]))
    code, output = run(write(tmp_path, "p2.json", too_much), "--on", "2026-03-01")
    assert code == 1 and "LOCAL_BUDGET_EXCEEDED" in output


@pytest.mark.django_db
def test_without_context_and_without_a_rule_set_in_force_the_input_is_invalid(tmp_path, unit_a) -> None:
    rule_set_publish(
        version="t-2", effective_from=date(2030, 1, 1), parameters={"max_local_budget_share": 0.3}
    )
    code, output = run(write(tmp_path, "p.json", program()), "--on", "2026-03-01")
    assert code == 2 and "2026-03-01" in output


@pytest.mark.django_db
def test_without_context_an_unknown_unit_is_invalid_input(tmp_path) -> None:
    code, output = run(write(tmp_path, "p.json", program(unit="999999999")))
    assert code == 2 and "$.rural_unit" in output


# --- The real command line, in a separate process ---------------------------------------------------------


def esep(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ESEP_TESTING": "1", "ESEP_VAR_DIR": str(tmp_path / "var")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "esep", "programs", "check", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_command_line_exit_codes_are_0_1_and_2(tmp_path) -> None:
    context_path = write(tmp_path, "c.json", context())
    clean = esep(write(tmp_path, "ok.json", program()), "--context", context_path, tmp_path=tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert json.loads(clean.stdout)["ok"] is True
    failing = esep(
        write(tmp_path, "bad.json", program(promise(cost=5, lines=[]))),
        "--context",
        context_path,
        tmp_path=tmp_path,
    )
    assert failing.returncode == 1
    assert json.loads(failing.stdout)["findings"][0]["code"] == "FUNDING_MISSING"
    invalid = esep(
        write(tmp_path, "invalid.json", {**program(), "rural_unit": "12"}),
        "--context",
        context_path,
        "--format",
        "text",
        tmp_path=tmp_path,
    )
    assert invalid.returncode == 2
    assert "$.rural_unit" in invalid.stderr and invalid.stdout == ""
