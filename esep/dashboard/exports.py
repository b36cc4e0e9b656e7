"""One exporter for every figure and list: a `Table` (columns, rows) answered as CSV, XLSX or JSON.

- CSV is UTF-8 with a byte-order mark, so that Excel opens Kazakh and Russian text correctly.
- A text cell a spreadsheet would take for a formula (starting with = + - @, a tab or a carriage return) is
  written with a leading apostrophe in CSV and XLSX; numbers stay numbers. JSON keeps the text as it is.
- File names are built from safe characters only.
"""

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook

FORMATS = ("csv", "xlsx", "json")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    name: str  # the machine name: JSON key and data package field
    title: str | Promise  # the header people read in CSV and XLSX
    type: str = "string"  # a Frictionless type: string, integer, number, date, datetime, boolean
    description: str | Promise = ""


@dataclass
class Table:
    name: str
    title: str | Promise
    columns: list[Column]
    rows: Iterable[Sequence[Any]]


def neutralise(value: Any) -> Any:
    """Text a spreadsheet could run as a formula gets a leading apostrophe; other values are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_filename(*parts: str) -> str:
    """Join `parts` with dashes, keeping only ASCII letters, digits, dots, dashes and underscores."""
    cleaned = [_UNSAFE_NAME.sub("-", str(part)).strip("-.") for part in parts]
    return "-".join(part for part in cleaned if part)[:120] or "esep"


def text_cell(value: Any) -> Any:
    """A value as CSV writes it: ISO dates, true/false, empty for None, neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Promise):
        value = str(value)
    return neutralise(value)


def _sheet_cell(value: Any) -> Any:
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.isoformat()  # openpyxl refuses aware datetimes
    return neutralise(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(table: Table, *, header: str = "title", bom: bool = True) -> Iterator[str]:
    """The CSV text of `table`, a line at a time; the header is the columns' titles or their names."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    head = [str(getattr(column, header)) for column in table.columns]
    yield (BOM if bom else "") + writer.writerow([neutralise(cell) for cell in head])
    for row in table.rows:
        yield writer.writerow([text_cell(cell) for cell in row])


def csv_response(table: Table, *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}.csv"'
    return response


def xlsx_bytes(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    title = _SHEET_FORBIDDEN.sub(" ", str(table.title)).strip()[:31] or "data"
    sheet = workbook.create_sheet(title)
    sheet.append([neutralise(str(column.title)) for column in table.columns])
    for row in table.rows:
        sheet.append([_sheet_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(table: Table, *, filename: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}.xlsx"'
    return response


def json_document(table: Table, **meta: Any) -> dict[str, Any]:
    names = [column.name for column in table.columns]
    return {
        "name": table.name,
        "title": str(table.title),
        **meta,
        "columns": [
            {"name": column.name, "title": str(column.title), "type": column.type} for column in table.columns
        ],
        "rows": [
            {
                name: (str(cell) if isinstance(cell, Promise) else cell)
                for name, cell in zip(names, row, strict=True)
            }
            for row in table.rows
        ],
    }


def json_response(table: Table, *, filename: str, **meta: Any) -> HttpResponse:
    body = json.dumps(json_document(table, **meta), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}.json"'
    return response


def response(table: Table, fmt: str, *, filename: str, **meta: Any) -> HttpResponse | StreamingHttpResponse:
    if fmt == "xlsx":
        return xlsx_response(table, filename=filename)
    if fmt == "json":
        return json_response(table, filename=filename, **meta)
    return csv_response(table, filename=filename)
