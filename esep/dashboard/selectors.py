"""Reads of the dashboards. Every figure comes from a summary table or from the sitting akims (one row per
rural unit), never from a scan of requests or promises, so a page costs the same number of queries and about
the same time with a hundred thousand requests or ten million.

Sources: `esep.programs.stats` (PromiseStat), `esep.appeals` AppealStat / AppealAnswerDays (through
`esep.appeals.selectors.figures`), `esep.elections.selectors.composition`, `esep.training.selectors`, and the
readers of `esep.dashboard.optional` for reports and recall once those apps provide them.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Sum
from django.http import Http404

from esep.appeals import selectors as appeal_selectors
from esep.appeals.deadlines import add_months
from esep.appeals.models import AppealAnswerDays, AppealStat
from esep.core.kato import district_code, kato_prefix, kato_within, region_code
from esep.dashboard import optional
from esep.dashboard.indicators import CORE_INDICATORS, RECALL_INDICATORS, REPORT_INDICATORS, Indicator
from esep.elections import selectors as election_selectors
from esep.elections.models import Mandate
from esep.programs import stats as promise_stats
from esep.territory.models import Level, Territory
from esep.territory.selectors import ancestors as territory_ancestors
from esep.training import selectors as training_selectors
from esep.training.models import Competence, Module

MONTHS = 12
SORT_NAME = "name"


def prefix_of(territory: Territory | None) -> str:
    return kato_prefix(territory.kato) if territory is not None else ""


def scope_of(territory: Territory | None) -> str:
    """The scope of the requests' counters: a KATO code, or "" for the country."""
    return territory.kato if territory is not None else ""


def area_get(kato: str) -> Territory:
    """A region or district with its parents (one query); anything else is not a dashboard."""
    territory = Territory.objects.select_related("parent__parent").filter(kato=kato).first()
    if territory is None or territory.level == Level.SETTLEMENT:
        raise Http404(kato)
    if territory.level == Level.UNIT and not territory.has_elected_akim:
        raise Http404(kato)
    return territory


def available_indicators() -> list[Indicator]:
    """The core indicators, and those of reports and recall once their apps have a summary reader."""
    found = list(CORE_INDICATORS)
    if optional.reports_available():
        found.extend(REPORT_INDICATORS)
    if optional.recall_available():
        found.extend(RECALL_INDICATORS)
    return found


def indicator_get(key: str | None) -> Indicator:
    indicators = available_indicators()
    return next((indicator for indicator in indicators if indicator.key == key), indicators[0])


# --- The areas one level down: regions of the country, districts of a region, units of a district -------


def child_level(territory: Territory | None) -> str:
    if territory is None:
        return Level.REGION
    return Level.DISTRICT if territory.level == Level.REGION else Level.UNIT


# The PromiseStat column (and the way to find it from a unit's code) that names each child level.
_LEVEL_FIELD = {Level.REGION: "region", Level.DISTRICT: "district", Level.UNIT: "kato"}
_CHILD_OF_UNIT: dict[str, Callable[[str], str]] = {
    Level.REGION: region_code,
    Level.DISTRICT: district_code,
    Level.UNIT: lambda kato: kato,
}


def children_of(territory: Territory | None) -> list[Territory]:
    """The areas the map and the table of `territory` show: one query."""
    level = child_level(territory)
    areas = Territory.objects.filter(level=level)
    if territory is not None:
        areas = areas.filter(kato_within("kato", territory.code_prefix))
    if level == Level.UNIT:
        areas = areas.filter(has_elected_akim=True)
    return list(areas.order_by("kato"))


@dataclass
class AreaRow:
    territory: Territory
    values: dict[str, float | None]
    promises: int = 0
    requests: int = 0
    akims: int = 0
    trained: int = 0

    @property
    def kato(self) -> str:
        return self.territory.kato

    @property
    def name(self) -> str:
        return self.territory.name


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _request_sums() -> dict[str, Sum]:
    """The requests' counters the dashboards add up, by area or by month."""
    return {name: Sum(name) for name in ("registered", "forwarded", "answered_on_time", "missed")}


def _request_groups(katos: list[str], since: date) -> dict[str, dict[str, int]]:
    rows = (
        AppealStat.objects.filter(scope__in=katos, month__gte=since)
        .values("scope")
        .annotate(**_request_sums())
        .order_by()
    )
    return {row.pop("scope"): row for row in rows}


def _median_groups(katos: list[str], since: date) -> dict[str, int | None]:
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    rows = (
        AppealAnswerDays.objects.filter(scope__in=katos, month__gte=since)
        .values("scope", "days")
        .annotate(total=Sum("count"))
        .order_by()
    )
    for row in rows:
        histograms[row["scope"]][row["days"]] = row["total"]
    return {scope: appeal_selectors.median_from_histogram(counts) for scope, counts in histograms.items()}


@dataclass
class AkimCounts:
    akims: int = 0
    first_time: int = 0
    trained: int = 0


def _akim_groups(prefix: str, child_of: Callable[[str], str]) -> tuple[dict[str, AkimCounts], int]:
    """Sitting akims, first-time ones and fully trained ones per child area: two queries over the mandates
    (bounded by the number of units, not by any activity)."""
    required = Module.objects.filter(required=True).count()
    earlier = Mandate.objects.filter(person_id=OuterRef("person_id"), starts_on__lt=OuterRef("starts_on"))
    held = (
        Competence.objects.filter(person_id=OuterRef("person_id"), module__required=True)
        .values("person_id")
        .annotate(n=Count("module_id", distinct=True))
        .values("n")
    )
    rows = (
        Mandate.objects.current()
        .within(prefix)
        .annotate(earlier=Exists(earlier), held=Subquery(held, output_field=IntegerField()))
        .values_list("rural_unit__kato", "earlier", "held")
    )
    groups: dict[str, AkimCounts] = defaultdict(AkimCounts)
    for kato, had_earlier, held_count in rows:
        counts = groups[child_of(kato)]
        counts.akims += 1
        counts.first_time += 0 if had_earlier else 1
        counts.trained += 1 if required and (held_count or 0) >= required else 0
    return groups, required


def area_rows(territory: Territory | None, *, today: date) -> list[AreaRow]:
    """Every indicator for each child area of `territory` (None: the regions of the country), in a fixed
    number of queries: the areas, the promise figures, two of requests, two of akims, one per optional app."""
    children = children_of(territory)
    level = child_level(territory)
    level_field = _LEVEL_FIELD[level]
    prefix = prefix_of(territory)
    katos = [child.kato for child in children]
    since = appeal_selectors.figures_since(today, MONTHS)
    promises = promise_stats.figures_by(level_field, prefix)
    request_groups = _request_groups(katos, since)
    medians = _median_groups(katos, since)
    akims, required = _akim_groups(prefix, _CHILD_OF_UNIT[level])
    reports = optional.report_by(level_field, prefix)
    recalls = optional.recall_by(level_field, prefix)
    rows = []
    for child in children:
        promise = promises.get(child.kato, {})
        request = request_groups.get(child.kato, {})
        corps = akims.get(child.kato, AkimCounts())
        total_promises = promise.get("promises", 0)
        registered = request.get("registered", 0) or 0
        decided = (request.get("answered_on_time", 0) or 0) + (request.get("missed", 0) or 0)
        values: dict[str, float | None] = {
            "promises_kept": _share(promise.get("kept", 0), total_promises),
            "promises_broken": _share(promise.get("broken", 0), total_promises),
            "promises_overdue": _share(promise.get("overdue", 0), total_promises),
            "requests_on_time": _share(request.get("answered_on_time", 0) or 0, decided),
            "requests_median_days": medians.get(child.kato),
            "requests_forwarded": _share(request.get("forwarded", 0) or 0, registered),
            "requests_registered": registered,
            "akims_first_time": _share(corps.first_time, corps.akims),
            "akims_trained": _share(corps.trained, corps.akims) if required else None,
        }
        if reports is not None:
            report = reports.get(child.kato, optional.ReportFigures())
            values["reports_on_time"] = report.on_time_share
            values["reports_rating"] = report.average_rating
        if recalls is not None:
            values["recall_active"] = recalls.get(child.kato, optional.RecallFigures()).active
        rows.append(
            AreaRow(
                territory=child,
                values=values,
                promises=total_promises,
                requests=registered,
                akims=corps.akims,
                trained=corps.trained,
            )
        )
    return rows


def sort_rows(rows: list[AreaRow], sort: str) -> list[AreaRow]:
    """By name or by an indicator ("-key": largest first); areas without a value always come last."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == SORT_NAME:
        return sorted(rows, key=lambda row: (row.name.casefold(), row.kato), reverse=descending)
    known = [row for row in rows if row.values.get(key) is not None]
    unknown = [row for row in rows if row.values.get(key) is None]
    known.sort(key=lambda row: (row.values[key], row.kato), reverse=descending)
    return known + sorted(unknown, key=lambda row: row.kato)


def valid_sort(sort: str | None, indicators: list[Indicator]) -> str:
    keys = {SORT_NAME, *(indicator.key for indicator in indicators)}
    if sort and sort.lstrip("-") in keys and sort.count("-") <= 1:
        return sort
    return SORT_NAME


# --- The figures of the area itself --------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigure:
    month: date
    registered: int
    forwarded: int
    answered_on_time: int
    missed: int

    @property
    def on_time_share(self) -> float | None:
        return _share(self.answered_on_time, self.answered_on_time + self.missed)


def request_months(scope: str, *, today: date, months: int = MONTHS) -> list[MonthFigure]:
    """Requests per month over the last `months` (empty months included): one query."""
    since = appeal_selectors.figures_since(today, months)
    rows = {
        row["month"]: row
        for row in AppealStat.objects.filter(scope=scope, month__gte=since)
        .values("month")
        .annotate(**_request_sums())
        .order_by()
    }
    result = []
    for index in range(months):
        month = add_months(since, index)
        row = rows.get(month, {})
        result.append(
            MonthFigure(
                month=month,
                registered=row.get("registered") or 0,
                forwarded=row.get("forwarded") or 0,
                answered_on_time=row.get("answered_on_time") or 0,
                missed=row.get("missed") or 0,
            )
        )
    return result


PROMISE_SHARE_NAMES = ("kept", "partially_kept", "in_progress", "stalled", "not_rated", "broken", "dropped")


def promise_shares(figures: dict[str, int]) -> dict[str, float | None]:
    total = figures.get("promises", 0)
    return {name: _share(figures.get(name, 0), total) for name in (*PROMISE_SHARE_NAMES, "overdue")}


@dataclass
class Dashboard:
    territory: Territory | None
    today: date
    indicators: list[Indicator]
    corps: election_selectors.Composition
    promises: dict[str, int]
    requests: appeal_selectors.Figures
    months: list[MonthFigure]
    modules: list[training_selectors.ModuleShare]
    staff: training_selectors.StaffCounts
    rows: list[AreaRow]
    ancestors: list[Territory] = field(default_factory=list)
    reports: optional.ReportFigures | None = None
    recall: optional.RecallFigures | None = None

    @property
    def level(self) -> str:
        return self.territory.level if self.territory is not None else "country"

    @property
    def child_level(self) -> str:
        return child_level(self.territory)

    @property
    def promise_shares(self) -> dict[str, float | None]:
        return promise_shares(self.promises)

    @property
    def required_modules(self) -> int:
        return sum(1 for share in self.modules if share.module.required)

    @property
    def trained(self) -> int:
        return sum(row.trained for row in self.rows)

    @property
    def trained_share(self) -> float | None:
        if not self.required_modules:
            return None
        return _share(self.trained, sum(row.akims for row in self.rows))


def dashboard(territory: Territory | None, *, today: date) -> Dashboard:
    """Everything a dashboard page shows, in a fixed number of queries whatever the amount of activity."""
    prefix, scope = prefix_of(territory), scope_of(territory)
    return Dashboard(
        territory=territory,
        today=today,
        indicators=available_indicators(),
        ancestors=territory_ancestors(territory) if territory is not None else [],
        corps=election_selectors.composition(territory, on=today),
        promises=promise_stats.area_figures(prefix),
        requests=appeal_selectors.figures(scope, today=today, months=MONTHS),
        months=request_months(scope, today=today),
        modules=training_selectors.module_shares(prefix),
        staff=training_selectors.staff_total(prefix),
        rows=area_rows(territory, today=today),
        reports=optional.report_area(prefix),
        recall=optional.recall_area(prefix),
    )
