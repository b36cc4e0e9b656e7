"""Regression found by tests/security/test_bad_input_imports.py: a paper sheet file with a short row crashed
`esep recall paper-sheet` (None.strip() on the missing cell) instead of naming the line."""

from pathlib import Path

import pytest

from esep.core.imports import ImportFailed
from esep.recall.management.commands.recall import read_sheet


def test_a_short_row_of_a_sheet_file_is_an_error_of_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("line,iin,signed_on\n1,850412401234\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        read_sheet(str(path))
    assert [(error.line, error.field) for error in caught.value.errors] == [(2, "signed_on")]
