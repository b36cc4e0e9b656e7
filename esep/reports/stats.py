"""The summary table of the reports: one `ReportStat` row per rural unit, for its sitting akim.

`stats_rebuild(unit_ids, today=...)` recomputes rows with a fixed number of queries per 500 units (mandates,
rule sets, published reports, ratings, existing rows, new rows' codes); the services call it inside their
transaction for the unit they change, `esep tick` for rows gone stale, the demo for every unit at once.
District, region and country pages then add up rows of this table.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum

from esep.core.kato import kato_within
from esep.elections.models import Mandate
from esep.programs.models import RuleSet, rule_parameters_with_defaults
from esep.reports.models import Report, ReportStat
from esep.reports.schedule import Period, RulePeriod, report_schedule, standing
from esep.territory.summaries import unit_rows_write

CHUNK = 500
FIGURES = ["due", "published", "on_time", "late", "days_late_total", "overdue", "rating_count", "rating_sum"]


def rule_periods() -> list[RulePeriod]:
    """Every rule set's period, oldest first; of two on one date the later published wins (one query)."""
    rows = RuleSet.objects.order_by("effective_from", "pk").values_list("effective_from", "parameters")
    by_date: dict[date, int] = {}
    for effective_from, parameters in rows:
        by_date[effective_from] = int(rule_parameters_with_defaults(parameters)["report_period_months"])
    return [RulePeriod(effective_from=day, months=months) for day, months in sorted(by_date.items())]


def rules_marker() -> int:
    return RuleSet.objects.aggregate(newest=Max("pk"))["newest"] or 0


def mandate_schedule(mandate: Mandate, rules: list[RulePeriod]) -> list[Period]:
    return report_schedule(
        starts_on=mandate.starts_on, ends_on=mandate.ends_on, ended_on=mandate.ended_on, rules=rules
    )


@dataclass
class _Rules:
    periods: list[RulePeriod]
    marker: int


def _figures(unit_ids: list[int], today: date, rules: _Rules) -> dict[int, dict]:
    mandates = {m.rural_unit_id: m for m in Mandate.objects.current().filter(rural_unit_id__in=unit_ids)}
    published: dict[int, dict[int, int]] = defaultdict(dict)
    last: dict[int, tuple] = {}
    for mandate_id, sequence, days_late, report_id, published_at in (
        Report.public_objects.filter(mandate_id__in=[m.pk for m in mandates.values()])
        .order_by("mandate_id", "sequence")
        .values_list("mandate_id", "sequence", "days_late", "pk", "published_at")
    ):
        published[mandate_id][sequence] = days_late
        if mandate_id not in last or published_at > last[mandate_id][1]:
            last[mandate_id] = (report_id, published_at)
    ratings = {
        row["mandate_id"]: row
        for row in Report.public_objects.filter(mandate_id__in=[m.pk for m in mandates.values()])
        .values("mandate_id")
        .annotate(count=Sum("rating_count"), total=Sum("rating_sum"))
        .order_by()
    }
    figures: dict[int, dict] = {}
    for unit_id in unit_ids:
        mandate = mandates.get(unit_id)
        values = {
            "mandate_id": None,
            **dict.fromkeys(FIGURES, 0),
            "overdue_since": None,
            "missed": [],
            "next_due_on": None,
            "next_sequence": None,
            "last_report_id": None,
            "last_published_at": None,
            "rules_seen": rules.marker,
            "as_of": today,
        }
        if mandate is not None:
            periods = mandate_schedule(mandate, rules.periods)
            where = standing(periods, published.get(mandate.pk, {}), today=today)
            rating = ratings.get(mandate.pk, {})
            report_id, published_at = last.get(mandate.pk, (None, None))
            values.update(
                mandate_id=mandate.pk,
                due=where.due,
                published=where.published,
                on_time=where.on_time,
                late=where.late,
                days_late_total=where.days_late_total,
                overdue=len(where.missed),
                overdue_since=where.missed[0] if where.missed else None,
                missed=[day.isoformat() for day in where.missed],
                next_due_on=where.next_due.due_on if where.next_due else None,
                next_sequence=where.next_due.sequence if where.next_due else None,
                rating_count=rating.get("count") or 0,
                rating_sum=rating.get("total") or 0,
                last_report_id=report_id,
                last_published_at=published_at,
            )
        figures[unit_id] = values
    return figures


NAMES = [
    "mandate_id",
    *FIGURES,
    "overdue_since",
    "missed",
    "next_due_on",
    "next_sequence",
    "last_report_id",
    "last_published_at",
    "rules_seen",
    "as_of",
]


def stats_rebuild(unit_ids: Iterable[int], *, today: date) -> int:
    """Recompute the rows of these units (call inside the caller's transaction); returns how many changed."""
    ids = sorted(set(unit_ids))
    if not ids:
        return 0
    rules = _Rules(periods=rule_periods(), marker=rules_marker())
    changed = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        changed += unit_rows_write(
            ReportStat,
            chunk,
            _figures(chunk, today, rules),
            names=NAMES,
            wanted=lambda values: values["mandate_id"] is not None,
            batch=CHUNK,
        )
    return changed


def stale_unit_ids(*, today: date, limit: int) -> list[int]:
    """Units whose row no longer says what a rebuild would (four queries): a due date has passed since it was
    computed, the unit's akim changed (the elections app does not call us), a sitting akim has no row yet, or
    a rule set was published since (the schedule follows the rule sets)."""
    ids = set(
        ReportStat.objects.filter(next_due_on__lt=today, mandate_id__isnull=False).values_list(
            "unit_id", flat=True
        )[:limit]
    )
    current = Subquery(Mandate.objects.current().filter(rural_unit_id=OuterRef("unit_id")).values("pk")[:1])
    other_akim = (
        Q(mandate_id__isnull=False, current__isnull=False) & ~Q(mandate_id=F("current"))
        | Q(mandate_id__isnull=False, current__isnull=True)
        | Q(mandate_id__isnull=True, current__isnull=False)
    )
    ids.update(
        ReportStat.objects.annotate(current=current)
        .filter(other_akim)
        .values_list("unit_id", flat=True)[:limit]
    )
    ids.update(
        Mandate.objects.current()
        .exclude(rural_unit_id__in=ReportStat.objects.values("unit_id"))
        .values_list("rural_unit_id", flat=True)[:limit]
    )
    if len(ids) < limit:
        ids.update(
            ReportStat.objects.exclude(rules_seen=rules_marker()).values_list("unit_id", flat=True)[:limit]
        )
    return sorted(ids)[:limit]


def _sums() -> dict:
    return {
        "units": Count("pk", filter=Q(mandate_id__isnull=False)),
        "units_overdue": Count("pk", filter=Q(overdue__gt=0)),
        **{name: Sum(name) for name in FIGURES},
    }


@dataclass(frozen=True)
class Timeliness:
    units: int = 0
    units_overdue: int = 0
    due: int = 0
    published: int = 0
    on_time: int = 0
    late: int = 0
    days_late_total: int = 0
    overdue: int = 0
    rating_count: int = 0
    rating_sum: int = 0

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def average_days_late(self) -> float | None:
        return self.days_late_total / self.late if self.late else None

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None


def _timeliness(row: dict) -> Timeliness:
    return Timeliness(**{name: row.get(name) or 0 for name in Timeliness.__dataclass_fields__})


def area_timeliness(prefix: str) -> Timeliness:
    """The sums of the rows under a KATO prefix ("" is the country): one query."""
    rows = ReportStat.objects.filter(kato_within("kato", prefix)) if prefix else ReportStat.objects.all()
    return _timeliness(rows.aggregate(**_sums()))


def timeliness_by(level_field: str, prefix: str) -> dict[str, Timeliness]:
    """Sums per district (`district`) or per region (`region`) under a prefix: one query."""
    rows = ReportStat.objects.filter(kato_within("kato", prefix)) if prefix else ReportStat.objects.all()
    return {
        row[level_field]: _timeliness(row)
        for row in rows.values(level_field).annotate(**_sums()).order_by(level_field)
    }
