"""CSV and XLSX downloads of the tracked promises of a unit, a district, a region or the country.

A cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return) is
written with a leading apostrophe, so that a promise titled "=HYPERLINK(...)" stays text.
"""

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import OuterRef, Subquery, Sum
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook

from esep.powers.models import Sector
from esep.programs.models import OPEN_PROMISE_STATUSES, FundingLine, FundingSource, PromiseStatus
from esep.programs.selectors import tracked_promises
from esep.territory.translit import romanize

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    """Text a spreadsheet could take for a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def header() -> list[str]:
    return [
        _("region"),
        _("district"),
        _("KATO code"),
        _("rural unit"),
        _("akim"),
        _("program version"),
        _("promise"),
        _("title"),
        _("sector"),
        _("power"),
        _("indicator"),
        _("unit of the indicator"),
        _("baseline"),
        _("target"),
        _("deadline"),
        _("cost, tenge"),
        *[_("funding: %(source)s, tenge") % {"source": label} for _value, label in FundingSource.choices],
        _("status"),
        _("progress, %"),
        _("spent so far, tenge"),
        _("overdue"),
        _("reason"),
    ]


def _decimal(value: Any) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _funded(source: str) -> Subquery:
    return Subquery(
        FundingLine.objects.filter(promise=OuterRef("pk"), source=source)
        .values("promise")
        .annotate(total=Sum("amount_kzt"))
        .values("total")
    )


def rows(prefix: str, *, today: date) -> Iterator[list[Any]]:
    """One row per tracked promise: one query reading only the columns written (23,000 promises of the
    whole country in a few seconds), funding summed per source by subqueries. Names in the active language,
    Russian where a translation is missing (as `esep.core.languages.in_language`)."""
    language = (get_language() or "ru")[:2]
    name = f"name_{language if language in ('kk', 'ru', 'en') else 'ru'}"
    unit = "program__rural_unit"
    columns = {
        "region": f"{unit}__parent__parent__{name}",
        "region_ru": f"{unit}__parent__parent__name_ru",
        "district": f"{unit}__parent__{name}",
        "district_ru": f"{unit}__parent__name_ru",
        "kato": f"{unit}__kato",
        "unit": f"{unit}__{name}",
        "unit_ru": f"{unit}__name_ru",
        "akim": "program__candidacy__person__full_name",
        "version": "program__version",
        "number": "local_id",
        "title": "title",
        "sector": "sector",
        "power": "power__code",
        "indicator": "indicator_name",
        "indicator_unit": "indicator_unit",
        "baseline": "indicator_baseline",
        "target": "indicator_target",
        "deadline": "deadline",
        "cost": "cost_kzt",
        "status": "status",
        "progress": "progress",
        "spent": "spent_kzt",
        "reason": "status_reason",
    }
    promises = (
        tracked_promises(prefix=prefix, today=today)
        .annotate(**{f"funded_{source}": _funded(source) for source in FundingSource.values})
        .values_list(*columns.values(), *[f"funded_{source}" for source in FundingSource.values])
    )
    statuses, sectors = dict(PromiseStatus.choices), dict(Sector.choices)
    open_statuses = set(OPEN_PROMISE_STATUSES)
    for values in promises.iterator(chunk_size=2000):
        row = dict(zip(columns, values, strict=False))
        funded = values[len(columns) :]
        overdue = row["status"] in open_statuses and row["deadline"] < today
        yield [
            row["region"] or row["region_ru"] or "",
            row["district"] or row["district_ru"] or "",
            row["kato"],
            row["unit"] or row["unit_ru"],
            romanize(row["akim"]) if language == "en" else row["akim"],
            row["version"],
            row["number"],
            row["title"],
            str(sectors.get(row["sector"], row["sector"])),
            row["power"] or "",
            row["indicator"],
            row["indicator_unit"],
            _decimal(row["baseline"]),
            _decimal(row["target"]),
            row["deadline"].isoformat(),
            row["cost"],
            *[amount or 0 for amount in funded],
            str(statuses[row["status"]]),
            row["progress"],
            row["spent"],
            _("yes") if overdue else _("no"),
            row["reason"],
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(prefix: str, *, filename: str, today: date) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([neutralise(cell) for cell in header()])
        for row in rows(prefix, today=today):
            yield writer.writerow([neutralise(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(prefix: str, *, filename: str, today: date) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("promises")[:31])
    sheet.append([neutralise(cell) for cell in header()])
    for row in rows(prefix, today=today):
        sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
