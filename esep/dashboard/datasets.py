"""The data behind every figure and list of a dashboard, as tables for the CSV, XLSX and JSON downloads.

`DATASETS` maps a name (the URL's `<name>.<fmt>`) to a builder `(territory, today) -> Table`; each builder
reads only the summary it needs, so a download costs what its block of the page costs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from esep.appeals import selectors as appeal_selectors
from esep.core.languages import in_language
from esep.dashboard import optional, selectors
from esep.dashboard.exports import Column, Table
from esep.elections import selectors as election_selectors
from esep.programs import stats as promise_stats
from esep.programs.models import FundingSource, PromiseStatus
from esep.territory.models import Territory
from esep.training import selectors as training_selectors

FIGURE_COLUMNS = [
    Column("figure", gettext_lazy("figure")),
    Column("label", gettext_lazy("label")),
    Column("value", gettext_lazy("value"), "number"),
]


def _round(value: float | None, digits: int = 4) -> float | None:
    return round(value, digits) if value is not None else None


def akims(territory: Territory | None, today: date) -> Table:
    corps = election_selectors.composition(territory, on=today)
    rows = [
        ("akims_in_office", _("akims in office"), corps.akims_in_office),
        ("units", _("rural units with an elected akim"), corps.units),
        ("vacant_units", _("units without a sitting akim"), corps.vacant_units),
        ("average_age", _("average age"), corps.average_age),
        ("first_time_share", _("share serving a first mandate"), _round(corps.first_time_share)),
        (
            "no_civil_service_share",
            _("share without civil-service experience"),
            _round(corps.no_civil_service_share),
        ),
        ("women_share", _("share of women"), _round(corps.women_share)),
        ("candidates_per_election", _("registered candidates per election"), corps.candidates_per_election),
        ("turnout", _("turnout"), _round(corps.turnout)),
    ]
    return Table("akims", _("Corps of akims"), FIGURE_COLUMNS, rows)


def parties(territory: Territory | None, today: date) -> Table:
    corps = election_selectors.composition(territory, on=today)
    columns = [
        Column("code", _("party code")),
        Column("name", _("nominated by")),
        Column("akims", _("akims"), "integer"),
        Column("share", _("share"), "number"),
    ]
    rows = [(share.code, share.name, share.akims, _round(share.share)) for share in corps.by_party]
    return Table("parties", _("Akims by nominating party"), columns, rows)


def age_groups(territory: Territory | None, today: date) -> Table:
    corps = election_selectors.composition(territory, on=today)
    columns = [
        Column("age_group", _("age")),
        Column("akims", _("akims"), "integer"),
        Column("share", _("share"), "number"),
    ]
    rows = [(group.label, group.akims, _round(group.share)) for group in corps.age_groups]
    return Table("age-groups", _("Akims by age"), columns, rows)


def promises(territory: Territory | None, today: date) -> Table:
    figures = promise_stats.area_figures(selectors.prefix_of(territory))
    shares = selectors.promise_shares(figures)
    columns = [
        Column("status", _("status")),
        Column("label", _("label")),
        Column("promises", _("promises"), "integer"),
        Column("share", _("share"), "number"),
    ]
    rows = [
        (status, str(label), figures.get(status, 0), _round(shares.get(status)))
        for status, label in PromiseStatus.choices
    ]
    rows.append(
        ("overdue", _("overdue (open after the deadline)"), figures["overdue"], _round(shares["overdue"]))
    )
    rows.append(("all", _("all tracked promises"), figures["promises"], 1.0 if figures["promises"] else None))
    return Table("promises", _("Promises by status"), columns, rows)


def money(territory: Territory | None, today: date) -> Table:
    figures = promise_stats.area_figures(selectors.prefix_of(territory))
    total = sum(figures.get(f"{source}_kzt", 0) for source in FundingSource.values)
    columns = [
        Column("source", _("funding source")),
        Column("label", _("label")),
        Column("amount_kzt", _("amount, tenge"), "integer"),
        Column("share", _("share"), "number"),
    ]
    rows = [
        (
            source,
            str(label),
            figures.get(f"{source}_kzt", 0),
            _round(figures.get(f"{source}_kzt", 0) / total) if total else None,
        )
        for source, label in FundingSource.choices
    ]
    return Table("money", _("Money promised, by funding source"), columns, rows)


def requests(territory: Territory | None, today: date) -> Table:
    result = appeal_selectors.figures(selectors.scope_of(territory), today=today, months=selectors.MONTHS)
    totals = result.totals
    registered = totals["registered"]
    rows = [
        ("since", _("counted since"), result.since.isoformat()),
        ("registered", _("registered"), registered),
        ("answered", _("answered"), totals["answered"]),
        ("answered_on_time", _("answered on time"), totals["answered_on_time"]),
        ("missed", _("deadline missed"), totals["missed"]),
        ("on_time_share", _("share answered on time"), _round(result.on_time_share)),
        ("median_days", _("median working days to answer"), result.median_days),
        ("forwarded", _("forwarded"), totals["forwarded"]),
        (
            "forwarded_share",
            _("share forwarded"),
            _round(totals["forwarded"] / registered) if registered else None,
        ),
        ("extended", _("deadline extended"), totals["extended"]),
    ]
    return Table("requests", _("Requests, last 12 months"), FIGURE_COLUMNS, rows)


def request_categories(territory: Territory | None, today: date) -> Table:
    result = appeal_selectors.figures(selectors.scope_of(territory), today=today, months=selectors.MONTHS)
    columns = [
        Column("category", _("category code")),
        Column("name", _("category")),
        Column("registered", _("registered"), "integer"),
        Column("answered", _("answered"), "integer"),
        Column("answered_on_time", _("answered on time"), "integer"),
        Column("missed", _("deadline missed"), "integer"),
        Column("forwarded", _("forwarded"), "integer"),
        Column("forwarded_share", _("share forwarded"), "number"),
    ]
    rows = [
        (
            row.category.code,
            in_language(row.category, "name"),
            row.registered,
            row.answered,
            row.answered_on_time,
            row.missed,
            row.forwarded,
            _round(row.forwarded_share),
        )
        for row in sorted(result.by_category, key=lambda row: (-row.registered, row.category.position))
    ]
    return Table("request-categories", _("Requests by category, last 12 months"), columns, rows)


def request_months(territory: Territory | None, today: date) -> Table:
    columns = [
        Column("month", _("month"), "date"),
        Column("registered", _("registered"), "integer"),
        Column("forwarded", _("forwarded"), "integer"),
        Column("answered_on_time", _("answered on time"), "integer"),
        Column("missed", _("deadline missed"), "integer"),
        Column("on_time_share", _("share answered on time"), "number"),
    ]
    rows = [
        (
            row.month,
            row.registered,
            row.forwarded,
            row.answered_on_time,
            row.missed,
            _round(row.on_time_share),
        )
        for row in selectors.request_months(selectors.scope_of(territory), today=today)
    ]
    return Table("request-months", _("Requests per month"), columns, rows)


def training(territory: Territory | None, today: date) -> Table:
    shares = training_selectors.module_shares(selectors.prefix_of(territory))
    columns = [
        Column("module", _("module code")),
        Column("name", _("module")),
        Column("required", _("required of every akim"), "boolean"),
        Column("trained", _("akims holding it"), "integer"),
        Column("akims", _("akims in office"), "integer"),
        Column("share", _("share"), "number"),
    ]
    rows = [
        (
            share.module.code,
            in_language(share.module, "name"),
            share.module.required,
            share.trained,
            share.akims,
            share.share,
        )
        for share in shares
    ]
    return Table("training", _("Training of the sitting akims"), columns, rows)


def area_columns(indicators: list) -> list[Column]:
    return [
        Column("kato", _("KATO code")),
        Column("name", _("name")),
        Column("level", _("level")),
        Column("akims", _("akims in office"), "integer"),
        Column("promises", _("tracked promises"), "integer"),
        *[
            Column(indicator.key, indicator.label, "integer" if indicator.kind == "count" else "number")
            for indicator in indicators
        ],
    ]


def areas(territory: Territory | None, today: date) -> Table:
    indicators = selectors.available_indicators()
    rows = [
        (
            row.kato,
            row.name,
            row.territory.get_level_display(),
            row.akims,
            row.promises,
            *[_round(row.values.get(indicator.key)) for indicator in indicators],
        )
        for row in selectors.area_rows(territory, today=today)
    ]
    title = {
        "region": _("Regions"),
        "district": _("Districts"),
        "unit": _("Rural units"),
    }[selectors.child_level(territory)]
    return Table("areas", title, area_columns(indicators), rows)


def reports(territory: Territory | None, today: date) -> Table:
    figures = optional.report_area(selectors.prefix_of(territory)) or optional.ReportFigures()
    rows = [
        ("due", _("reports due so far"), figures.due),
        ("published", _("reports published"), figures.published),
        ("on_time", _("published on time"), figures.on_time),
        ("on_time_share", _("share on time"), _round(figures.on_time_share)),
        ("late", _("published late"), figures.late),
        ("overdue", _("due and not published"), figures.overdue),
        ("units_overdue", _("akims with a report overdue"), figures.units_overdue),
        ("ratings", _("residents' ratings"), figures.ratings),
        ("average_rating", _("average rating (1 to 5)"), figures.average_rating),
    ]
    return Table("reports", _("Accountability reports"), FIGURE_COLUMNS, rows)


def recall(territory: Territory | None, today: date) -> Table:
    figures = optional.recall_area(selectors.prefix_of(territory)) or optional.RecallFigures()
    rows = [
        ("active", _("initiatives under way"), figures.active),
        ("awaiting", _("filed or registered, signing not open"), figures.awaiting),
        ("signing", _("collecting signatures"), figures.signing),
        ("verifying", _("signatures being verified"), figures.verifying),
        ("voting", _("threshold reached: recall vote"), figures.voting),
        ("recalled", _("akims recalled"), figures.recalled),
    ]
    return Table("recall", _("Recall initiatives"), FIGURE_COLUMNS, rows)


@dataclass(frozen=True)
class Dataset:
    name: str
    build: Callable[[Territory | None, date], Table]
    available: Callable[[], bool] = lambda: True


DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        Dataset("akims", akims),
        Dataset("parties", parties),
        Dataset("age-groups", age_groups),
        Dataset("promises", promises),
        Dataset("money", money),
        Dataset("requests", requests),
        Dataset("request-categories", request_categories),
        Dataset("request-months", request_months),
        Dataset("training", training),
        Dataset("areas", areas),
        Dataset("reports", reports, optional.reports_available),
        Dataset("recall", recall, optional.recall_available),
    )
}
