"""The one exporter: CSV with a BOM for Excel, XLSX, JSON; formulas neutralised; safe file names."""

import csv
import io
import json
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from esep.dashboard.exports import (
    Column,
    Table,
    csv_response,
    json_response,
    neutralise,
    safe_filename,
    xlsx_bytes,
)

COLUMNS = [Column("name", "Name"), Column("count", "Count", "integer"), Column("day", "Day", "date")]
ROWS = [
    ('=HYPERLINK("http://evil")', 3, date(2026, 5, 1)),
    ("+7 701", -4, None),
    ("@SUM(A1)", 0, date(2026, 1, 31)),
    ("Қараауыл а.о.", 12, None),
    ("\tTab", 1, None),
]


def table() -> Table:
    return Table("units", "Units", COLUMNS, list(ROWS))


def test_text_that_looks_like_a_formula_gets_an_apostrophe_numbers_do_not() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("-drop") == "'-drop"
    assert neutralise("\rx") == "'\rx"
    assert neutralise("Abay") == "Abay"
    assert neutralise(-4) == -4


def test_csv_starts_with_a_bom_and_neutralises_every_formula_cell() -> None:
    response = csv_response(table(), filename="esep units")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert response["Content-Disposition"] == 'attachment; filename="esep-units.csv"'
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["Name", "Count", "Day"]
    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("http://evil")',
        "'+7 701",
        "'@SUM(A1)",
        "Қараауыл а.о.",
        "'\tTab",
    ]
    assert rows[1][1:] == ["3", "2026-05-01"] and rows[2][1:] == ["-4", ""]


def test_xlsx_opens_in_a_spreadsheet_with_numbers_as_numbers_and_formulas_as_text() -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes(table()))).active
    values = list(sheet.values)
    assert values[0] == ("Name", "Count", "Day")
    assert values[1][0] == '\'=HYPERLINK("http://evil")' and values[1][1] == 3
    assert values[2][1] == -4
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_json_names_the_columns_and_keeps_the_text_as_it_is() -> None:
    response = json_response(table(), filename="units", territory="103230000")
    document = json.loads(response.content)
    assert document["name"] == "units" and document["territory"] == "103230000"
    assert document["columns"][1] == {"name": "count", "title": "Count", "type": "integer"}
    assert document["rows"][0] == {"name": '=HYPERLINK("http://evil")', "count": 3, "day": "2026-05-01"}


@given(st.lists(st.text(), max_size=4))
def test_file_names_keep_only_safe_characters(parts) -> None:
    name = safe_filename(*parts)
    assert name and len(name) <= 120
    assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in name)
    assert not name.startswith(".")
