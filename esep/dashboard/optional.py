"""Figures of the reports and recall apps, read through their own summaries. Both apps were built alongside
the dashboard: each block shows only when its app's reader imports, so the dashboard never breaks on them.

- reports: `esep.reports.stats.area_timeliness(prefix)` and `timeliness_by(level_field, prefix)` over the
  `ReportStat` summary table (one row per rural unit), one query each.
- recall: the `Initiative` table grouped by state (one query). Initiatives under way are at most one per
  sitting akim (a database constraint), so the count is bounded by the number of units, like the mandates.
"""

import importlib
from collections import defaultdict
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.db.models import Count
from django.db.models.functions import Substr

from esep.core.kato import kato_within

# The KATO digits that name an area of each level: a unit's code starts with its region's 2, district's 4.
PREFIX_LENGTH = {"region": 2, "district": 4, "kato": 9}


def _module(name: str, *attributes: str) -> ModuleType | None:
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    return module if all(callable(getattr(module, attribute, None)) for attribute in attributes) else None


def reports_stats() -> ModuleType | None:
    return _module("esep.reports.stats", "area_timeliness", "timeliness_by")


def recall_models() -> ModuleType | None:
    module = _module("esep.recall.models")
    return module if module is not None and hasattr(module, "Initiative") else None


def reports_available() -> bool:
    return reports_stats() is not None


def recall_available() -> bool:
    return recall_models() is not None and _module("esep.recall.states") is not None


@dataclass(frozen=True)
class ReportFigures:
    due: int = 0
    published: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    units_overdue: int = 0
    ratings: int = 0
    rating_total: int = 0

    @classmethod
    def of(cls, timeliness: Any) -> "ReportFigures":
        if timeliness is None:
            return cls()
        return cls(
            due=timeliness.due,
            published=timeliness.published,
            on_time=timeliness.on_time,
            late=timeliness.late,
            overdue=timeliness.overdue,
            units_overdue=getattr(timeliness, "units_overdue", 0),
            ratings=timeliness.rating_count,
            rating_total=timeliness.rating_sum,
        )

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def average_rating(self) -> float | None:
        return round(self.rating_total / self.ratings, 2) if self.ratings else None


def report_area(prefix: str) -> ReportFigures | None:
    stats = reports_stats()
    return ReportFigures.of(stats.area_timeliness(prefix)) if stats is not None else None


def report_by(level_field: str, prefix: str) -> dict[str, ReportFigures] | None:
    """Report figures per child area ("region", "district" or "kato" for units): one query."""
    stats = reports_stats()
    if stats is None:
        return None
    return {kato: ReportFigures.of(row) for kato, row in stats.timeliness_by(level_field, prefix).items()}


@dataclass(frozen=True)
class RecallFigures:
    active: int = 0
    awaiting: int = 0  # filed or registered, signing not open yet
    signing: int = 0
    verifying: int = 0
    voting: int = 0  # threshold reached: vote to be scheduled or scheduled
    recalled: int = 0

    @classmethod
    def of(cls, counts: dict[str, int]) -> "RecallFigures":
        from esep.recall.states import ACTIVE_STATES, State

        return cls(
            active=sum(counts.get(state, 0) for state in ACTIVE_STATES),
            awaiting=counts.get(State.FILED, 0) + counts.get(State.REGISTERED, 0),
            signing=counts.get(State.COLLECTING, 0),
            verifying=counts.get(State.VERIFICATION, 0),
            voting=counts.get(State.CERTIFIED_REACHED, 0) + counts.get(State.VOTE_SCHEDULED, 0),
            recalled=counts.get(State.RECALLED, 0),
        )


def _initiatives(prefix: str) -> Any:
    initiatives = recall_models().Initiative.objects.all()
    return initiatives.filter(kato_within("kato", prefix)) if prefix else initiatives


def recall_area(prefix: str) -> RecallFigures | None:
    if not recall_available():
        return None
    rows = _initiatives(prefix).values("state").annotate(n=Count("pk")).order_by()
    return RecallFigures.of({row["state"]: row["n"] for row in rows})


def recall_by(level_field: str, prefix: str) -> dict[str, RecallFigures] | None:
    """Initiatives by state per child area: one grouped query."""
    if not recall_available():
        return None
    length = PREFIX_LENGTH[level_field]
    rows = (
        _initiatives(prefix)
        .annotate(area=Substr("kato", 1, length))
        .values("area", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row["area"].ljust(9, "0")][row["state"]] = row["n"]
    return {kato: RecallFigures.of(by_state) for kato, by_state in counts.items()}
