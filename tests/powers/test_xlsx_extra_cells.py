"""Regression found by tests/security/test_bad_input_imports.py: a value right of the named columns of an XLSX
catalogue was silently dropped (read-only sheets pad the header row with empty cells), where the CSV reader
refuses the same row."""

import pytest
from openpyxl import Workbook

from esep.core.imports import ImportFailed
from esep.powers import services
from esep.powers.models import Power
from esep.powers.seed import COLUMNS
from tests.powers.test_catalogue_import import row


def test_a_value_beyond_the_named_columns_of_a_sheet_is_refused_by_line(tmp_path, analyst) -> None:
    path = tmp_path / "powers.xlsx"
    workbook = Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.append([*row().values(), "a value with no column"])
    workbook.save(path)
    with pytest.raises(ImportFailed) as caught:
        services.catalogue_import(path=path, actor=analyst)
    assert [(error.line, error.field) for error in caught.value.errors] == [(2, "")]
    assert "more fields than the header" in str(caught.value)
    assert not Power.objects.filter(code="sport.village_games").exists()
