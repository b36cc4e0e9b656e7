"""The tracker's summary table: one `PromiseStat` row per rural unit, for its sitting akim's commitments.

`stats_rebuild(unit_ids)` recomputes the rows of some units with a fixed number of grouped queries per 500
units; the services call it inside their transaction for the unit they change, the demo and `esep tick` for
many units at once. Region and country pages then add up rows of this table instead of scanning promises.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Count, F, Min, OuterRef, Q, Subquery, Sum

from esep.core.kato import kato_within
from esep.elections.models import Mandate
from esep.programs.models import (
    OPEN_PROMISE_STATUSES,
    FundingLine,
    FundingSource,
    Program,
    Promise,
    PromiseStat,
    PromiseStatus,
    holds_mandate,
)
from esep.territory.summaries import unit_rows_write

CHUNK = 500
STATUS_FIELDS = tuple(PromiseStatus.values)
SOURCE_FIELDS = {source: f"{source}_kzt" for source in FundingSource.values}


def tracked_promises(program_ids: Iterable[int], candidacy_ids: Iterable[int]) -> Q:
    """The promises a tracker shows: those of the published versions, and those an amendment left out."""
    return Q(program_id__in=list(program_ids)) | Q(
        removed_in__isnull=False, program__candidacy_id__in=list(candidacy_ids)
    )


def _figures(unit_ids: list[int], today: date) -> dict[int, dict]:
    mandates = dict(
        Mandate.objects.current().filter(rural_unit_id__in=unit_ids).values_list("rural_unit_id", "pk")
    )
    programs = {
        unit_id: (program_id, candidacy_id)
        for program_id, unit_id, candidacy_id in Program.objects.filter(
            status="published", rural_unit_id__in=unit_ids
        )
        .filter(holds_mandate())
        .values_list("pk", "rural_unit_id", "candidacy_id")
    }
    figures: dict[int, dict] = {
        unit_id: {
            "mandate_id": mandates.get(unit_id),
            "program_id": programs.get(unit_id, (None, None))[0],
            "promises": 0,
            "overdue": 0,
            "cost_kzt": 0,
            "next_deadline": None,
            **dict.fromkeys(STATUS_FIELDS, 0),
            **dict.fromkeys(SOURCE_FIELDS.values(), 0),
        }
        for unit_id in unit_ids
    }
    if not programs:
        return figures
    program_ids = [program_id for program_id, _candidacy in programs.values()]
    candidacy_ids = [candidacy_id for _program, candidacy_id in programs.values()]
    open_ = Q(status__in=OPEN_PROMISE_STATUSES)
    rows = (
        Promise.objects.filter(tracked_promises(program_ids, candidacy_ids))
        .values("program__rural_unit_id", "status")
        .annotate(
            count=Count("pk"),
            overdue=Count("pk", filter=open_ & Q(deadline__lt=today)),
            next_deadline=Min("deadline", filter=open_ & Q(deadline__gte=today)),
            cost=Sum("cost_kzt", filter=Q(removed_in__isnull=True)),
        )
        .order_by()
    )
    for row in rows:
        unit = figures[row["program__rural_unit_id"]]
        unit[row["status"]] += row["count"]
        unit["promises"] += row["count"]
        unit["overdue"] += row["overdue"]
        unit["cost_kzt"] += row["cost"] or 0
        if row["next_deadline"] is not None and (
            unit["next_deadline"] is None or row["next_deadline"] < unit["next_deadline"]
        ):
            unit["next_deadline"] = row["next_deadline"]
    money = (
        FundingLine.objects.filter(promise__program_id__in=program_ids)
        .values("promise__program__rural_unit_id", "source")
        .annotate(total=Sum("amount_kzt"))
        .order_by()
    )
    for row in money:
        figures[row["promise__program__rural_unit_id"]][SOURCE_FIELDS[row["source"]]] += row["total"]
    return figures


def stats_rebuild(unit_ids: Iterable[int], *, today: date) -> int:
    """Recompute the rows of these units (call inside the caller's transaction); returns how many changed."""
    ids = sorted(set(unit_ids))
    changed = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        figures = {unit_id: {**values, "as_of": today} for unit_id, values in _figures(chunk, today).items()}
        changed += unit_rows_write(
            PromiseStat,
            chunk,
            figures,
            names=["mandate_id", "program_id", *_counted_fields(), "next_deadline", "as_of"],
            wanted=lambda values: values["mandate_id"] is not None or values["program_id"] is not None,
            batch=CHUNK,
        )
    return changed


def _counted_fields() -> list[str]:
    return ["promises", *STATUS_FIELDS, "overdue", "cost_kzt", *SOURCE_FIELDS.values()]


def stale_unit_ids(*, today: date, limit: int) -> list[int]:
    """Units whose row no longer says what a rebuild would (three queries): a deadline has passed since it was
    computed, the unit's akim changed (the elections app does not call us), or commitments have no row yet."""
    ids = set(PromiseStat.objects.filter(next_deadline__lt=today).values_list("unit_id", flat=True)[:limit])
    current = Subquery(Mandate.objects.current().filter(rural_unit_id=OuterRef("unit_id")).values("pk")[:1])
    other_akim = (
        Q(mandate_id__isnull=False, current__isnull=False) & ~Q(mandate_id=F("current"))
        | Q(mandate_id__isnull=False, current__isnull=True)
        | Q(mandate_id__isnull=True, current__isnull=False)
    )
    ids.update(
        PromiseStat.objects.annotate(current=current)
        .filter(other_akim)
        .values_list("unit_id", flat=True)[:limit]
    )
    recorded = Subquery(
        PromiseStat.objects.filter(unit_id=OuterRef("rural_unit_id")).values("program_id")[:1]
    )
    ids.update(
        Program.objects.commitments()
        .annotate(recorded=recorded)
        .filter(Q(recorded__isnull=True) | ~Q(recorded=F("pk")))
        .values_list("rural_unit_id", flat=True)[:limit]
    )
    return sorted(ids)[:limit]


def area_figures(prefix: str) -> dict[str, int]:
    """The sums of the rows under a KATO prefix ("" is the country): one query."""
    rows = PromiseStat.objects.filter(kato_within("kato", prefix)) if prefix else PromiseStat.objects.all()
    sums = rows.aggregate(
        units=Count("pk", filter=Q(promises__gt=0)), **{name: Sum(name) for name in _counted_fields()}
    )
    return {name: value or 0 for name, value in sums.items()}


def figures_by(level_field: str, prefix: str) -> dict[str, dict[str, int]]:
    """Sums per district (`district`) or per region (`region`) under a prefix: one query."""
    rows = PromiseStat.objects.filter(kato_within("kato", prefix)) if prefix else PromiseStat.objects.all()
    grouped: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        rows.values(level_field)
        .annotate(
            units=Count("pk", filter=Q(promises__gt=0)), **{name: Sum(name) for name in _counted_fields()}
        )
        .order_by(level_field)
    ):
        grouped[row.pop(level_field)] = {name: value or 0 for name, value in row.items()}
    return grouped
