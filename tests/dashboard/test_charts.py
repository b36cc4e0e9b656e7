"""Chart geometry: bars proportional to their values, shares that fill the bar, a column per month."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from esep.dashboard import charts


def test_bars_are_as_long_as_their_share_of_the_largest() -> None:
    chart = charts.bar_chart(
        "k", "Title", [("a", "A", 10, "10"), ("b", "B", 5, "5"), ("c", "C", 0, "0")], value_title="n"
    )
    room = charts.WIDTH - charts.VALUE_ROOM
    assert [bar.width for bar in chart.bars] == [room, room / 2, 0.0]
    assert chart.height == 3 * charts.ROW_HEIGHT
    assert chart.bars[1].label_y < chart.bars[1].bar_y < chart.bars[2].label_y


def test_share_bars_are_scaled_to_one_not_to_the_largest() -> None:
    chart = charts.bar_chart("k", "T", [("a", "A", 0.5, "50%")], value_title="share", scale_max=1)
    assert chart.bars[0].width == (charts.WIDTH - charts.VALUE_ROOM) / 2


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=8))
def test_the_segments_of_a_share_bar_fill_it_exactly_once(counts) -> None:
    chart = charts.share_bar("k", "T", [(f"s{i}", f"S{i}", count) for i, count in enumerate(counts)])
    if sum(counts) == 0:
        assert all(segment.width == 0 for segment in chart.segments)
        return
    assert abs(sum(segment.width for segment in chart.segments) - charts.WIDTH) < 0.1
    for left, right in zip(chart.segments, chart.segments[1:], strict=False):
        assert abs(left.x + left.width - right.x) < 0.02


def test_month_columns_scale_to_the_busiest_month_and_draw_the_share_as_a_line() -> None:
    rows = [
        (date(2026, month, 1), value, share)
        for month, value, share in [(1, 10, 1.0), (2, 5, 0.5), (3, 0, None)]
    ]
    chart = charts.month_columns("m", "T", rows, value_title="n", secondary_text=str)
    tallest, half, empty = chart.columns
    assert tallest.height == chart.plot_height and half.height == chart.plot_height / 2 and empty.height == 0
    assert len(chart.line.split()) == 2  # no point for the month without a share
    assert half.point_y > tallest.point_y  # 50% sits lower than 100%
    assert empty.point_y is None
