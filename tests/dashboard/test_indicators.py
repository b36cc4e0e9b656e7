"""Colour classes of the map: quantile bounds, a class for every value, a legend that tells them apart."""

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from esep.dashboard.indicators import (
    CLASSES,
    CORE_INDICATORS,
    NO_DATA_COLOUR,
    PALETTE,
    breaks,
    classify,
    format_value,
)

SHARE = next(indicator for indicator in CORE_INDICATORS if indicator.kind == "share")
COUNT = next(indicator for indicator in CORE_INDICATORS if indicator.kind == "count")
shares = st.floats(min_value=0, max_value=1, allow_nan=False)
areas = st.dictionaries(st.from_regex(r"[0-9]{9}", fullmatch=True), st.none() | shares, max_size=40)


@given(areas)
def test_every_area_gets_a_palette_class_or_none_when_it_has_no_value(values) -> None:
    classes = classify(SHARE, values)
    assert set(classes.of) == set(values)
    for kato, value in values.items():
        if value is None:
            assert classes.of[kato] is None
        else:
            assert 0 <= classes.of[kato] < CLASSES


@given(areas)
def test_a_larger_value_never_gets_a_lighter_class(values) -> None:
    classes = classify(SHARE, values)
    known = sorted((value, classes.of[kato]) for kato, value in values.items() if value is not None)
    assert [index for _value, index in known] == sorted(index for _value, index in known)


@given(areas)
def test_the_legend_has_one_entry_per_class_used_and_one_for_no_data(values) -> None:
    classes = classify(SHARE, values)
    used = {index for index in classes.of.values() if index is not None}
    colours = [entry.colour for entry in classes.legend]
    assert colours[: len(used)] == [PALETTE[index] for index in sorted(used)]
    assert (NO_DATA_COLOUR in colours) == (None in values.values())
    labels = [entry.label for entry in classes.legend]
    assert len(labels) == len(set(labels)), labels  # no two classes read the same


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), max_size=60))
def test_bounds_increase_and_are_at_most_four(values) -> None:
    bounds = breaks(values)
    assert len(bounds) <= CLASSES - 1
    assert bounds == sorted(set(bounds))
    if values:
        assert all(bound > min(values) for bound in bounds)


def test_twenty_distinct_values_fill_five_classes_of_four() -> None:
    values = {f"{i:09d}": i / 20 for i in range(20)}
    classes = classify(SHARE, values)
    counts = [list(classes.of.values()).count(index) for index in range(CLASSES)]
    assert counts == [4, 4, 4, 4, 4]
    assert classes.legend[0].label == "0% – 15%"
    assert classes.legend[-1].label == "80% – 95%"


def test_equal_values_take_the_middle_colour() -> None:
    classes = classify(SHARE, {"100000000": 0.5, "110000000": 0.5, "150000000": None})
    assert set(classes.of.values()) == {CLASSES // 2, None}
    assert [entry.label for entry in classes.legend] == ["50%", "no data"]


def test_close_bounds_print_one_more_decimal() -> None:
    classes = classify(SHARE, {"1": 0.211, "2": 0.214, "3": 0.218, "4": 0.221, "5": 0.25})
    labels = [entry.label for entry in classes.legend]
    assert len(set(labels)) == len(labels)
    assert labels[0] == "21.1%"


def test_values_read_in_the_active_language() -> None:
    assert format_value("share", 0.456) == "46%"
    assert format_value("share", None) == "—"
    assert format_value("days", 7) == "7 d"
    assert format_value("rating", 4.25) == "4.2" or format_value("rating", 4.25) == "4.3"
    assert format_value(COUNT.kind, 12345) == "12,345"
    with translation.override("ru"):
        assert format_value(COUNT.kind, 12345) == "12\xa0345"
