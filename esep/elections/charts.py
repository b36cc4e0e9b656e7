"""Server-rendered SVG bar charts: the geometry is computed here, `elections/_bar_chart.html` draws it.

Each bar has its label on a line of its own above it, so long party names fit a 390px-wide phone screen.
"""

from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 320
ROW_HEIGHT = 34
BAR_HEIGHT = 12
LABEL_GAP = 4
VALUE_ROOM = 96


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float | None
    label_y: int
    bar_y: int
    bar_width: float
    value_x: float
    highlight: bool = False

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.1f}%" if self.share is not None else ""


@dataclass(frozen=True)
class Chart:
    key: str  # unique on its page: names the SVG's title element
    title: str
    bars: list[Bar]
    width: int
    height: int
    value_title: str


def bar_chart(
    key: str,
    title: str,
    rows: Iterable[tuple[str, int, float | None]],
    *,
    value_title: str = "",
    highlight: str | None = None,
) -> Chart:
    """Horizontal bars for (label, value, share) rows; bar lengths are relative to the largest value."""
    rows = list(rows)
    largest = max((value for _label, value, _share in rows), default=0) or 1
    room = WIDTH - VALUE_ROOM
    bars = []
    for index, (label, value, share) in enumerate(rows):
        top = index * ROW_HEIGHT
        width = round(room * value / largest, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                share=share,
                label_y=top + 12,
                bar_y=top + 12 + LABEL_GAP,
                bar_width=max(width, 1.0) if value else 0.0,
                value_x=width + 6,
                highlight=label == highlight,
            )
        )
    return Chart(
        key=key,
        title=title,
        bars=bars,
        width=WIDTH,
        height=max(len(rows), 1) * ROW_HEIGHT,
        value_title=value_title,
    )
