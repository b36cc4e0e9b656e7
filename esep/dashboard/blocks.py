"""What a dashboard page draws from a `selectors.Dashboard`: the charts of each block, the map's data (every
indicator's colour classes, values as text and legend, sent once through `json_script` so that picking
another indicator recolours the map without a request), and the cells of the table of areas.
"""

from dataclasses import dataclass
from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from esep.core.languages import in_language
from esep.dashboard import charts
from esep.dashboard.indicators import NO_DATA_COLOUR, PALETTE, Indicator, classify, format_value
from esep.dashboard.selectors import AreaRow, Dashboard
from esep.programs.checker import tenge
from esep.programs.models import FundingSource, PromiseStatus
from esep.territory.models import Level

# Names and sources only, no words: the map shows it as it is in every language.
ATTRIBUTION = "geokz, Alexander Rodionov; stat.gov.kz / OCHA COD-AB (CC BY 4.0)"
TOP_CATEGORIES = 8
URL_PLACEHOLDER = "000000000"


def _percent(share: float | None) -> str:
    return format_value("share", share)


def _counted(value: int, share: float | None) -> str:
    return f"{value} ({_percent(share)})" if share is not None else str(value)


def party_chart(board: Dashboard) -> charts.BarChart:
    rows = [
        (share.code, share.name, share.akims, _counted(share.akims, share.share))
        for share in board.corps.by_party
    ]
    return charts.bar_chart(
        "parties",
        _("Akims by nominating party"),
        rows,
        value_title=_("akims"),
        description=_("%(count)s akims in office, by who nominated them.")
        % {"count": board.corps.akims_in_office},
    )


def age_chart(board: Dashboard) -> charts.BarChart:
    rows = [
        (f"age-{i}", group.label, group.akims, _counted(group.akims, group.share))
        for i, group in enumerate(board.corps.age_groups)
    ]
    return charts.bar_chart("ages", _("Akims by age"), rows, value_title=_("akims"))


def status_bar(board: Dashboard) -> charts.ShareBar:
    parts = [(status, str(label), board.promises.get(status, 0)) for status, label in PromiseStatus.choices]
    return charts.share_bar(
        "statuses",
        _("Promises by status"),
        parts,
        description=_("%(count)s tracked promises, split by their status.")
        % {"count": board.promises["promises"]},
    )


def money_chart(board: Dashboard) -> charts.BarChart:
    rows = [
        (
            source,
            str(label),
            board.promises.get(f"{source}_kzt", 0),
            tenge(board.promises.get(f"{source}_kzt", 0)),
        )
        for source, label in FundingSource.choices
    ]
    return charts.bar_chart("money", _("Money promised, by funding source"), rows, value_title=_("tenge"))


def months_chart(board: Dashboard) -> charts.ColumnChart:
    rows = [(month.month, month.registered, month.on_time_share) for month in board.months]
    return charts.month_columns(
        "months",
        _("Requests per month"),
        rows,
        value_title=_("registered"),
        secondary_title=_("answered on time"),
        secondary_text=_percent,
        description=_("Columns: requests registered each month; line: the share answered on time."),
    )


def categories_chart(board: Dashboard) -> charts.BarChart:
    top = [row for row in board.requests.top_categories[:TOP_CATEGORIES] if row.registered]
    rows = [
        (row.category.code, in_language(row.category, "name"), row.registered, str(row.registered))
        for row in top
    ]
    return charts.bar_chart("categories", _("Top categories of requests"), rows, value_title=_("registered"))


def training_chart(board: Dashboard) -> charts.BarChart:
    rows = [
        (
            share.module.code,
            in_language(share.module, "name"),
            share.share or 0,
            _counted(share.trained, share.share),
        )
        for share in board.modules
    ]
    return charts.bar_chart(
        "modules", _("Sitting akims holding each module"), rows, value_title=_("akims"), scale_max=1
    )


def reports_bar(board: Dashboard) -> charts.ShareBar | None:
    if board.reports is None:
        return None
    parts = [
        ("on_time", _("published on time"), board.reports.on_time),
        ("late", _("published late"), board.reports.late),
        ("missing", _("due and not published"), board.reports.overdue),
    ]
    return charts.share_bar("reports", _("Reports due so far"), parts)


def charts_of(board: Dashboard) -> dict[str, Any]:
    return {
        "reports": reports_bar(board),
        "parties": party_chart(board),
        "ages": age_chart(board),
        "statuses": status_bar(board),
        "money": money_chart(board),
        "months": months_chart(board),
        "categories": categories_chart(board),
        "modules": training_chart(board),
    }


def map_data(board: Dashboard, indicator: Indicator) -> dict[str, Any]:
    """The choropleth's data: names, and each indicator's colour class, text and legend of every area."""
    level = board.child_level
    per_indicator = {}
    for candidate in board.indicators:
        values = {row.kato: row.values.get(candidate.key) for row in board.rows}
        classes = classify(candidate, values)
        per_indicator[candidate.key] = {
            "label": str(candidate.label),
            "classes": classes.of,
            "display": {kato: candidate.format(value) for kato, value in values.items()},
            "legend": [[entry.colour, entry.label] for entry in classes.legend],
        }
    return {
        "indicator": indicator.key,
        "level": level,
        "geojson": static(
            "territory/regions.geojson" if level == Level.REGION else "territory/districts.geojson"
        ),
        "urlTemplate": reverse("dashboard:area", args=[URL_PLACEHOLDER]),
        "names": {row.kato: row.name for row in board.rows},
        "indicators": per_indicator,
        "palette": list(PALETTE),
        "noData": NO_DATA_COLOUR,
        "attribution": ATTRIBUTION,
    }


@dataclass(frozen=True)
class Picked:
    """The picked indicator's colour of every area and its legend (the same classes as the map's)."""

    colours: dict[str, str]
    legend: list[tuple[str, str]]


def picked(board: Dashboard, indicator: Indicator) -> Picked:
    values = {row.kato: row.values.get(indicator.key) for row in board.rows}
    classes = classify(indicator, values)
    colours = {
        kato: NO_DATA_COLOUR if index is None else PALETTE[index] for kato, index in classes.of.items()
    }
    return Picked(colours=colours, legend=[(entry.colour, entry.label) for entry in classes.legend])


@dataclass(frozen=True)
class Cell:
    key: str
    text: str
    colour: str = ""  # the map colour, in the picked indicator's column


def cells(
    row: AreaRow, indicators: list[Indicator], chosen: Indicator, colours: dict[str, str]
) -> list[Cell]:
    return [
        Cell(
            key=indicator.key,
            text=indicator.format(row.values.get(indicator.key)),
            colour=colours.get(row.kato, "") if indicator.key == chosen.key else "",
        )
        for indicator in indicators
    ]
