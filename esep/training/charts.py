"""Geometry of the server-rendered SVG charts; templates draw them and print the numbers as a table."""

from dataclasses import dataclass

from esep.training.selectors import YearChanges

BAR_WIDTH = 14
GAP = 4
GROUP = 2 * BAR_WIDTH + 3 * GAP
HEIGHT = 100


@dataclass(frozen=True)
class YearBars:
    year: int
    x: int
    filled: int
    vacated: int
    filled_height: float
    vacated_height: float

    @property
    def filled_y(self) -> float:
        return HEIGHT - self.filled_height

    @property
    def vacated_y(self) -> float:
        return HEIGHT - self.vacated_height

    @property
    def vacated_x(self) -> int:
        return self.x + BAR_WIDTH + GAP

    @property
    def label_x(self) -> int:
        return self.x + BAR_WIDTH


@dataclass(frozen=True)
class YearChart:
    bars: list[YearBars]
    width: int
    height: int = HEIGHT
    bar_width: int = BAR_WIDTH


def year_chart(years: list[YearChanges]) -> YearChart:
    """Appointments and departures per year as paired bars, scaled to the largest value."""
    peak = max([max(y.filled, y.vacated) for y in years] or [0]) or 1
    bars = [
        YearBars(
            year=y.year,
            x=GAP + index * GROUP,
            filled=y.filled,
            vacated=y.vacated,
            filled_height=round(HEIGHT * y.filled / peak, 2),
            vacated_height=round(HEIGHT * y.vacated / peak, 2),
        )
        for index, y in enumerate(years)
    ]
    return YearChart(bars=bars, width=max(GAP + len(bars) * GROUP, GROUP))
