"""Server-rendered SVG charts of the tracker's figures; `programs/_bars.html` draws them, with a table as
their text equivalent. Geometry only: no style attributes (the CSP forbids inline styles), colours by class.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from esep.programs.checker import tenge
from esep.programs.models import FundingSource, PromiseStatus

WIDTH = 320
ROW_HEIGHT = 34
VALUE_ROOM = 96


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    text: str
    share: float | None
    label_y: int
    bar_y: int
    width: float
    value_x: float

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.1f}%" if self.share is not None else "—"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    value_title: str
    bars: list[Bar]
    width: int
    height: int


def bar_chart(key: str, title: str, value_title: str, rows: list[tuple[str, str, int, str]]) -> Chart:
    """Horizontal bars for (key, label, value, value text) rows, lengths relative to the largest value."""
    largest = max((value for _k, _l, value, _t in rows), default=0) or 1
    total = sum(value for _k, _l, value, _t in rows)
    room = WIDTH - VALUE_ROOM
    bars = []
    for index, (bar_key, label, value, text) in enumerate(rows):
        top = index * ROW_HEIGHT
        width = round(room * value / largest, 1)
        bars.append(
            Bar(
                key=bar_key,
                label=label,
                value=value,
                text=text,
                share=value / total if total else None,
                label_y=top + 12,
                bar_y=top + 16,
                width=max(width, 1.0) if value else 0.0,
                value_x=width + 6,
            )
        )
    return Chart(
        key=key,
        title=title,
        value_title=value_title,
        bars=bars,
        width=WIDTH,
        height=max(len(rows), 1) * ROW_HEIGHT,
    )


def money_by_source(figures: dict[str, int], key: str = "money") -> Chart:
    rows = [
        (source, str(label), figures.get(f"{source}_kzt", 0), tenge(figures.get(f"{source}_kzt", 0)))
        for source, label in FundingSource.choices
    ]
    return bar_chart(key, _("Money promised, by funding source"), _("tenge"), rows)


def promises_by_status(figures: dict[str, int], key: str = "statuses") -> Chart:
    rows = [
        (status, str(label), figures.get(status, 0), str(figures.get(status, 0)))
        for status, label in PromiseStatus.choices
    ]
    return bar_chart(key, _("Promises by status"), _("promises"), rows)
