"""Server-rendered SVG charts of the dashboards: bars, a 100% stacked share bar, and a monthly trend.

Geometry only (the templates `dashboard/_chart_*.html` draw it): colours come from CSS classes, never from
style attributes (the CSP forbids them). Every chart carries its rows for the table that is its text
equivalent, and a one-sentence summary for the SVG's <desc>.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format

WIDTH = 320
ROW_HEIGHT = 34
BAR_HEIGHT = 12
VALUE_ROOM = 80


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: float
    text: str
    label_y: int
    bar_y: int
    width: float
    value_x: float


@dataclass(frozen=True)
class BarChart:
    key: str  # unique on its page: names the SVG's <title> and <desc>
    title: str
    value_title: str
    bars: list[Bar]
    description: str = ""
    width: int = WIDTH

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT


def bar_chart(
    key: str,
    title: str,
    rows: list[tuple[str, str, float, str]],
    *,
    value_title: str,
    scale_max: float | None = None,
    description: str = "",
) -> BarChart:
    """Horizontal bars for (key, label, value, value as text) rows, each label on its own line above its
    bar so that long names fit a phone. Lengths are relative to `scale_max` (1 for shares) or the largest."""
    largest = scale_max or max((value for _k, _l, value, _t in rows), default=0) or 1
    room = WIDTH - VALUE_ROOM
    bars = []
    for index, (bar_key, label, value, text) in enumerate(rows):
        top = index * ROW_HEIGHT
        width = round(room * min(value, largest) / largest, 1)
        bars.append(
            Bar(
                key=bar_key,
                label=label,
                value=value,
                text=text,
                label_y=top + 12,
                bar_y=top + 16,
                width=max(width, 1.0) if value else 0.0,
                value_x=width + 6,
            )
        )
    return BarChart(key=key, title=title, value_title=value_title, bars=bars, description=description)


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    count: int
    share: float
    x: float
    width: float

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.0f}%"


@dataclass(frozen=True)
class ShareBar:
    key: str
    title: str
    total: int
    segments: list[Segment]
    description: str = ""
    width: int = WIDTH
    height: int = 28


def share_bar(key: str, title: str, parts: list[tuple[str, str, int]], *, description: str = "") -> ShareBar:
    """One bar split into the shares of (key, label, count) parts; a part with no count takes no room."""
    total = sum(count for _key, _label, count in parts)
    segments = []
    x = 0.0
    for part_key, label, count in parts:
        share = count / total if total else 0.0
        width = round(WIDTH * share, 2)
        segments.append(
            Segment(key=part_key, label=label, count=count, share=share, x=round(x, 2), width=width)
        )
        x += width
    return ShareBar(key=key, title=title, total=total, segments=segments, description=description)


@dataclass(frozen=True)
class Column:
    label: str
    full_label: str
    value: int
    text: str
    x: float
    y: float
    height: float
    secondary: float | None  # a share 0..1 drawn as a line over the columns, or None
    secondary_text: str
    point_y: float | None


@dataclass(frozen=True)
class ColumnChart:
    key: str
    title: str
    value_title: str
    secondary_title: str
    columns: list[Column]
    description: str = ""
    width: int = WIDTH
    plot_height: int = 120
    height: int = 150
    column_width: float = 0.0
    line: str = ""  # the polyline's points

    @property
    def baseline(self) -> int:
        return self.plot_height + 4


def month_columns(
    key: str,
    title: str,
    rows: list[tuple[date, int, float | None]],
    *,
    value_title: str,
    secondary_title: str = "",
    value_text: object = str,
    secondary_text: object = None,
    description: str = "",
) -> ColumnChart:
    """Columns of a count per month, with a share per month as a line (top of the plot = 100%)."""
    plot_height = 120
    top = 4
    step = WIDTH / max(len(rows), 1)
    column_width = round(step * 0.7, 2)
    largest = max((value for _m, value, _s in rows), default=0) or 1
    columns = []
    points = []
    for index, (month, value, secondary) in enumerate(rows):
        height = round(plot_height * value / largest, 2)
        x = round(index * step + (step - column_width) / 2, 2)
        point_y = round(top + plot_height * (1 - secondary), 2) if secondary is not None else None
        if point_y is not None:
            points.append(f"{round(x + column_width / 2, 2)},{point_y}")
        columns.append(
            Column(
                label=date_format(month, "n"),
                full_label=date_format(month, "YEAR_MONTH_FORMAT"),
                value=value,
                text=value_text(value),
                x=x,
                y=round(top + plot_height - height, 2),
                height=height,
                secondary=secondary,
                secondary_text=secondary_text(secondary) if secondary_text else "",
                point_y=point_y,
            )
        )
    return ColumnChart(
        key=key,
        title=title,
        value_title=value_title,
        secondary_title=secondary_title,
        columns=columns,
        description=description,
        plot_height=plot_height,
        height=plot_height + top + 22,
        column_width=column_width,
        line=" ".join(points),
    )
