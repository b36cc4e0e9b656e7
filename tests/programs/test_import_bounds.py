"""Regression found by tests/security/test_bad_input_imports.py: an amount of 100,000 digits passed the
digits-only check and made int() raise (Python refuses over 4,300 digits), a crash instead of an error."""

from pathlib import Path

import pytest

from esep.core.imports import ImportFailed
from esep.programs.models import LocalBudget
from esep.programs.services import budget_import_csv


@pytest.mark.parametrize("amount", ["9" * 19, "9" * 100_000])
def test_an_amount_longer_than_any_column_is_an_error_of_its_line_and_field(
    tmp_path: Path, unit_a, amount: str
) -> None:
    path = tmp_path / "budget.csv"
    row = f"{unit_a.kato},2026,income_tax,{amount}"
    path.write_text(f"unit,year,source,amount_kzt\n{row}\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        budget_import_csv(path=path)
    assert [(error.line, error.field) for error in caught.value.errors] == [(2, "amount_kzt")]
    assert not LocalBudget.objects.exists()
