"""Local budget forecasts from CSV: all or nothing, errors by line and field, a second run changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from esep.core.audit.models import AuditEvent
from esep.core.imports import ImportFailed
from esep.programs.models import LocalBudget
from esep.programs.selectors import budget_forecast
from esep.programs.services import _budget_row, budget_import_csv
from tests.conftest import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "local-budget.csv"


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "budget.csv"
    path.write_text("\n".join(["unit,year,source,amount_kzt", *lines]) + "\n", encoding="utf-8")
    return path


def errors_of(path: Path) -> list[tuple[int, str]]:
    with pytest.raises(ImportFailed) as caught:
        budget_import_csv(path=path)
    return [(error.line, error.field) for error in caught.value.errors]


@pytest.mark.django_db
def test_the_example_file_gives_the_forecast_per_year(unit_a) -> None:
    result = budget_import_csv(path=EXAMPLE)
    assert (result.created, result.updated, result.unchanged) == (16, 0, 0)
    assert budget_forecast(unit_a) == {2026: 120_000_000, 2027: 125_000_000}
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.action == "programs.budget_import" and event.data["created"] == 16


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_writes_no_audit_event(unit_a) -> None:
    budget_import_csv(path=EXAMPLE)
    events = AuditEvent.objects.count()
    result = budget_import_csv(path=EXAMPLE)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 16)
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_changed_amount_updates_that_line_only(tmp_path, unit_a) -> None:
    budget_import_csv(path=write(tmp_path, f"{unit_a.kato},2026,land_tax,100", f"{unit_a.kato},2026,fines,5"))
    result = budget_import_csv(
        path=write(tmp_path, f"{unit_a.kato},2026,land_tax,120", f"{unit_a.kato},2026,fines,5")
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert budget_forecast(unit_a) == {2026: 125}


@pytest.mark.django_db
def test_bad_lines_name_line_and_field_and_nothing_is_written(tmp_path, unit_a) -> None:
    path = write(
        tmp_path,
        f"{unit_a.kato},2026,land_tax,100",
        f"{unit_a.kato},20x6,land_tax,100",
        f"{unit_a.kato},2026,oil_revenue,-5",
        "103200000,2026,land_tax,100",
        f"{unit_a.kato},2026,land_tax,200",
        "1032,2026,fines,1.5",
    )
    assert errors_of(path) == [
        (3, "year"),
        (4, "amount_kzt"),
        (4, "source"),
        (7, "amount_kzt"),
        (7, "unit"),
    ]
    assert not LocalBudget.objects.exists()


@pytest.mark.django_db
def test_a_district_and_a_repeated_line_are_refused_after_the_format_checks(tmp_path, unit_a) -> None:
    path = write(
        tmp_path,
        f"{unit_a.kato},2026,land_tax,100",
        "103200000,2026,land_tax,100",
        f"{unit_a.kato},2026,land_tax,200",
    )
    assert errors_of(path) == [(3, "unit"), (4, "source")]
    assert not LocalBudget.objects.exists()


@pytest.mark.django_db
def test_an_empty_file_is_refused(tmp_path) -> None:
    assert errors_of(write(tmp_path)) == [(1, "")]


@pytest.mark.django_db
def test_the_command_imports_and_reports_errors(tmp_path, unit_a) -> None:
    out = StringIO()
    call_command("programs", "import-budgets", str(EXAMPLE), stdout=out)
    assert "16 created" in out.getvalue()
    with pytest.raises(CommandError, match="line 2, field source"):
        call_command("programs", "import-budgets", str(write(tmp_path, f"{unit_a.kato},2026,gold,1")))


@given(amount=st.text(alphabet="0123456789 -.,e", max_size=8))
def test_an_amount_is_read_as_digits_only_with_spaces_between_thousands(amount) -> None:
    errors: list = []
    row = _budget_row(
        2, {"unit": "103230000", "year": "2026", "source": "fines", "amount_kzt": amount}, errors
    )
    digits = amount.replace(" ", "")
    if digits and digits.isdigit():
        assert row is not None and row.amount_kzt == int(digits) and errors == []
    else:
        assert row is None and [(e.line, e.field) for e in errors] == [(2, "amount_kzt")]
