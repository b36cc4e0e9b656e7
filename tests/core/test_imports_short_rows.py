"""Regression found by tests/security/test_bad_input_imports.py: a CSV row with fewer fields than the header
gave None for the missing cells, and three imports (election results, training results, recall paper sheets)
crashed on None.strip() instead of naming the line. Missing cells now read as empty text."""

from pathlib import Path

from esep.core.imports import read_csv_rows


def test_the_missing_cells_of_a_short_row_read_as_empty_text(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("kato,score,completed_on\n103230000,80\n103230000\n", encoding="utf-8")
    rows = list(read_csv_rows(path, required=["kato", "score", "completed_on"]))
    assert rows == [
        (2, {"kato": "103230000", "score": "80", "completed_on": ""}),
        (3, {"kato": "103230000", "score": "", "completed_on": ""}),
    ]
