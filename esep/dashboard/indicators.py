"""The indicators a map can be coloured by and a table sorted by: what each measures, how it reads, how the
values of a set of areas fall into the five colour classes of the map.

Pure functions only (no queries): `selectors.area_rows` computes the values, this module describes them.
"""

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SHARE, DAYS, COUNT, RATING = "share", "days", "count", "rating"

# ColorBrewer YlGnBu, 5 classes: sequential, colour-blind safe, readable in greyscale (light = low).
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA_COLOUR = "#d9d9d9"
CLASSES = len(PALETTE)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str | Promise
    kind: str  # SHARE (0..1), DAYS, COUNT or RATING (1..5)
    source: str  # the app whose summary table it comes from
    description: str | Promise = ""
    higher_is_better: bool = True

    def format(self, value: float | None, *, extra: int = 0) -> str:
        return format_value(self.kind, value, extra=extra)


CORE_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "promises_kept",
        _("Promises kept"),
        SHARE,
        "programs",
        _("Share of the sitting akims' tracked promises rated kept."),
    ),
    Indicator(
        "promises_broken",
        _("Promises broken"),
        SHARE,
        "programs",
        _("Share of tracked promises rated broken."),
        higher_is_better=False,
    ),
    Indicator(
        "promises_overdue",
        _("Promises overdue"),
        SHARE,
        "programs",
        _("Share of tracked promises still open after their deadline."),
        higher_is_better=False,
    ),
    Indicator(
        "requests_on_time",
        _("Requests answered on time"),
        SHARE,
        "appeals",
        _("Of the requests of the last 12 months whose deadline was met or missed, the share met."),
    ),
    Indicator(
        "requests_median_days",
        _("Median days to answer"),
        DAYS,
        "appeals",
        _("Median working days from registration to answer, last 12 months."),
        higher_is_better=False,
    ),
    Indicator(
        "requests_forwarded",
        _("Requests forwarded"),
        SHARE,
        "appeals",
        _("Share of the requests of the last 12 months forwarded to the body that holds the power."),
        higher_is_better=False,
    ),
    Indicator(
        "requests_registered",
        _("Requests registered"),
        COUNT,
        "appeals",
        _("Requests registered in the last 12 months."),
    ),
    Indicator(
        "akims_first_time",
        _("First-time akims"),
        SHARE,
        "elections",
        _("Share of the sitting akims serving their first mandate."),
    ),
    Indicator(
        "akims_trained",
        _("Akims trained"),
        SHARE,
        "training",
        _("Share of the sitting akims holding every required module of the School of Akims."),
    ),
)

REPORT_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "reports_on_time",
        _("Reports on time"),
        SHARE,
        "reports",
        _("Share of the accountability reports due that were published by their deadline."),
    ),
    Indicator(
        "reports_rating",
        _("Average rating of reports"),
        RATING,
        "reports",
        _("Residents' average rating of the akims' reports (1 to 5)."),
    ),
)

RECALL_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "recall_active",
        _("Recall initiatives under way"),
        COUNT,
        "recall",
        _("Recall initiatives collecting signatures or awaiting verification or a vote."),
        higher_is_better=False,
    ),
)


# Decimals a value is compared and shown with, at most: 0.01% for shares, 0.01 for ratings (days and counts
# are whole numbers). Values equal at this precision are one value for the map's classes.
MAX_EXTRA_DECIMALS = 2
_ROUNDING = {SHARE: 4, RATING: 2}


def format_value(kind: str, value: float | None, *, extra: int = 0) -> str:
    """A value as people read it; `extra` decimals more for legends whose bounds would read alike."""
    if value is None:
        return "—"
    if kind == SHARE:
        return f"{number_format(round(value * 100, extra), decimal_pos=extra)}%"
    if kind == DAYS:
        return gettext("%(days)s d") % {"days": number_format(value)}
    if kind == RATING:
        return number_format(round(value, 1 + extra), decimal_pos=1 + min(extra, 1))
    return number_format(value, force_grouping=True)


def comparable(kind: str, value: float | None) -> float | None:
    digits = _ROUNDING.get(kind)
    return round(value, digits) if value is not None and digits is not None else value


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str


@dataclass(frozen=True)
class Classes:
    """The colour class of every area (None: no data) and the legend that explains them."""

    of: dict[str, int | None]
    legend: list[LegendEntry]


def breaks(values: Iterable[float], classes: int = CLASSES) -> list[float]:
    """Lower bounds of classes 2..n at the quantiles of `values`, without repeats (fewer classes when the
    values are few or tied): a value's class is how many bounds are at or below it."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds: list[float] = []
    for index in range(1, classes):
        bound = ordered[min(len(ordered) - 1, len(ordered) * index // classes)]
        if bound > ordered[0] and (not bounds or bound > bounds[-1]):
            bounds.append(bound)
    return bounds


def _spread(index: int, count: int) -> int:
    """Fewer than five classes still run from the lightest to the darkest colour (one class: the middle)."""
    if count <= 1:
        return CLASSES // 2
    return round(index * (CLASSES - 1) / (count - 1))


def classify(indicator: Indicator, values: Mapping[str, float | None]) -> Classes:
    """Quantile classes of the areas' values, each class shown as the range of values it really holds."""
    known = {key: comparable(indicator.kind, value) for key, value in values.items() if value is not None}
    bounds = breaks(known.values())
    of: dict[str, int | None] = dict.fromkeys(values)
    members: dict[int, list[float]] = {}
    for key, value in known.items():
        index = _spread(bisect_right(bounds, value), len(bounds) + 1)
        of[key] = index
        members.setdefault(index, []).append(value)
    ranges = [(index, min(members[index]), max(members[index])) for index in sorted(members)]
    ends = {value for _index, low, high in ranges for value in (low, high)}
    # The fewest decimals that still tell every bound apart.
    extra = next(
        (
            extra
            for extra in range(MAX_EXTRA_DECIMALS + 1)
            if len({indicator.format(value, extra=extra) for value in ends}) == len(ends)
        ),
        MAX_EXTRA_DECIMALS,
    )
    legend = []
    for index, low, high in ranges:
        low_text, high_text = indicator.format(low, extra=extra), indicator.format(high, extra=extra)
        label = low_text if low == high else f"{low_text} – {high_text}"
        legend.append(LegendEntry(PALETTE[index], label))
    if len(known) < len(values):
        legend.append(LegendEntry(NO_DATA_COLOUR, gettext("no data")))
    return Classes(of=of, legend=legend)
