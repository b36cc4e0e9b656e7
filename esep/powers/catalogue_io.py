"""The catalogue as a file: CSV (UTF-8, the columns of seed.COLUMNS) or XLSX (the same columns, first sheet).

A cell that a spreadsheet would take for a formula (= + - @, a tab or a carriage return first) is written with
a leading apostrophe, and the apostrophe is taken off again on import, so an export imports back unchanged.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from esep.core.imports import ImportFailed, RowError, read_csv_rows
from esep.powers.models import Power
from esep.powers.seed import COLUMNS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_XLSX_ROWS = 10_000


def neutralise(value: Any) -> Any:
    """Text a spreadsheet could take for a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(value: str) -> str:
    """Undo `neutralise` on a value read back from a file."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def power_row(power: Power) -> list[str]:
    values = {column: getattr(power, column) for column in COLUMNS}
    values["basis_checked"] = "true" if power.basis_checked else ""
    return [neutralise(str(values[column])) for column in COLUMNS]


def catalogue_csv(powers: Iterable[Power]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(power_row(power) for power in powers)
    return buffer.getvalue()


def catalogue_xlsx(powers: Iterable[Power]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("powers"))
    sheet.append(COLUMNS)
    for power in powers:
        sheet.append(power_row(power))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# What a damaged or foreign file makes openpyxl raise, while opening or while reading the rows.
XLSX_ERRORS = (
    InvalidFileException,
    BadZipFile,
    OSError,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
)


def _xlsx_values(path: Path | str, source: str) -> list[tuple[Any, ...]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except XLSX_ERRORS as exc:
        raise ImportFailed(source, [RowError(0, "", _("the file is not an XLSX workbook"))]) from exc
    try:
        values = []
        for number, line in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            if number > MAX_XLSX_ROWS + 1:
                raise ImportFailed(
                    source, [RowError(number, "", _("the file has more than %d rows") % MAX_XLSX_ROWS)]
                )
            values.append(tuple(line))
        return values
    except XLSX_ERRORS as exc:
        raise ImportFailed(source, [RowError(0, "", _("the file is not an XLSX workbook"))]) from exc
    finally:
        workbook.close()


def read_xlsx_rows(
    path: Path | str, *, required: list[str], source: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, row) of the first sheet of an XLSX file with a header; ImportFailed otherwise."""
    lines = _xlsx_values(path, source)
    header = [_cell_text(value).strip() for value in (lines[0] if lines else ())]
    while header and not header[-1]:
        header.pop()  # rows come padded to the widest row: a cell right of the named columns is extra
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportFailed(
            source, [RowError(1, name, _("the header has no column %s") % name) for name in missing]
        )
    for number, values in enumerate(lines[1:], start=2):
        cells = [_cell_text(value) for value in values]
        if not any(cell.strip() for cell in cells):
            continue
        if any(cell.strip() for cell in cells[len(header) :]):
            raise ImportFailed(source, [RowError(number, "", _("the row has more fields than the header"))])
        yield (
            number,
            {name: (cells[index] if index < len(cells) else "") for index, name in enumerate(header)},
        )


def read_catalogue_rows(path: Path | str, *, source: str | None = None) -> list[tuple[int, dict[str, str]]]:
    """The rows of a catalogue file, by its suffix (.csv or .xlsx), values stripped and un-neutralised."""
    source = source or Path(path).name
    required = [column for column in COLUMNS if column != "basis_checked"]
    suffix = Path(source).suffix.lower() or Path(path).suffix.lower()
    if suffix == ".xlsx":
        rows = read_xlsx_rows(path, required=required, source=source)
    elif suffix == ".csv":
        rows = read_csv_rows(path, required=required, source=source)
    else:
        raise ImportFailed(source, [RowError(0, "", _("the file must be .csv or .xlsx"))])
    # basis_checked may be left out: the powers then keep their mark.
    return [
        (line, {column: restore((row[column] or "").strip()) for column in COLUMNS if column in row})
        for line, row in rows
    ]
