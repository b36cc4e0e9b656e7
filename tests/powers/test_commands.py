"""esep powers analyze | export | import | proposals: thin wrappers over the analysis and the services."""

import ast
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from esep.powers import services
from esep.powers.models import Power


def run(*args: str) -> str:
    out = StringIO()
    call_command("powers", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_analyze_prints_the_three_lists_with_their_evidence(requests_made) -> None:
    text = run("analyze", "--min-volume-share", "0.1")
    assert "1. Duplicated powers (similarity >= 0.50): 2" in text
    assert text.index("landscaping.district_lighting [district] ~ landscaping.lighting [rural]") < text.index(
        "police.patrol [police] ~ public_order.patrols [rural]"
    )
    assert "public_order.patrols [public_order, in_force] -> police" in text
    assert "3. Missing powers" in text and "- land (Land plots): 8 requests, 6 forwarded (75.0%)" in text
    assert "(80.0%)" in text  # the region of unit A: 5 requests, 4 forwarded


@pytest.mark.django_db
def test_analyze_as_json_takes_the_parameters(requests_made) -> None:
    body = json.loads(run("analyze", "--format", "json", "--threshold", "0.8", "--forward-share", "0.9"))
    assert body["params"]["threshold"] == 0.8
    assert [pair["key"] for pair in body["duplicates"]] == [
        "duplicate:landscaping.district_lighting|landscaping.lighting"
    ]
    assert [item["category"] for item in body["non_core_categories"]] == ["public_order", "tariffs"]


@pytest.mark.django_db
def test_analyze_refuses_a_parameter_out_of_range(catalogue) -> None:
    with pytest.raises(CommandError, match="threshold must be between 0 and 1"):
        run("analyze", "--threshold", "3")
    with pytest.raises(CommandError, match="not a number"):
        run("analyze", "--threshold", "high")


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(tmp_path, suffix) -> None:
    path = tmp_path / f"powers.{suffix}"
    assert f"{Power.objects.count()} powers written" in run("export", str(path))
    assert "0 created, 0 updated" in run("import", str(path))


@pytest.mark.django_db
def test_import_reports_errors_as_a_command_error(tmp_path) -> None:
    path = tmp_path / "powers.csv"
    path.write_text("code\nx\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 1, field level"):
        run("import", str(path))
    with pytest.raises(CommandError, match=r"\.csv or \.xlsx"):
        run("export", str(tmp_path / "powers.txt"))


@pytest.mark.django_db
def test_proposals_writes_the_accepted_set(tmp_path, requests_made, analyst) -> None:
    proposal = services.proposal_create(
        actor=analyst, finding_key="missing:land", kind="add", rationale="Plots."
    )
    services.proposal_decide(actor=analyst, proposal=proposal, accept=True, comment="Yes.")
    path = tmp_path / "accepted.xlsx"
    assert "1 accepted proposals written" in run("proposals", str(path))
    sheet = load_workbook(path).worksheets[0]
    assert sheet.max_row == 2 and sheet.cell(2, 10).value == "land"


@pytest.mark.django_db
def test_analyze_names_categories_in_the_language_of_its_output(requests_made) -> None:
    with translation.override("ru"):
        text = run("analyze", "--min-volume-share", "0.1")
    assert "- land (Земельные участки): " in text
    assert "Land plots" not in text


def gettext_calls_inside_f_strings(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            lines.extend(
                call.lineno
                for call in ast.walk(node)
                if isinstance(call, ast.Call) and getattr(call.func, "id", "") in GETTEXT_NAMES
            )
    return lines


GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext"}


def test_no_message_of_the_powers_app_hides_inside_an_f_string() -> None:
    # xgettext does not look inside f-strings: such a message is never extracted and never translated.
    app = Path(services.__file__).resolve().parent
    found = {
        str(path.relative_to(app)): lines
        for path in app.rglob("*.py")
        if (lines := gettext_calls_inside_f_strings(path))
    }
    assert found == {}
