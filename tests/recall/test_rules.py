"""The arithmetic of a recall: shares, thresholds by band, the signing period, the signer's age, the bands
parser (hypothesis: whatever is typed, it answers with a table or line-numbered errors, never a crash)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esep.recall import rules
from esep.recall.rules import Band, BandsError


@pytest.mark.parametrize(
    ("voters", "share", "required"),
    [
        (2000, 0.10, 200),
        (2001, 0.10, 201),  # 200.1 rounds up
        (100, 0.07, 7),  # 0.07 * 100 is 7.000000000000001 in floats: must stay 7
        (3, 0.1, 1),
        (0, 0.1, 1),  # never fewer than one signature
        (1000, Decimal("0.125"), 125),
    ],
)
def test_a_share_of_the_voters_is_rounded_up_exactly(voters: int, share: object, required: int) -> None:
    assert rules.signatures_for_share(voters, share) == required


def test_the_signing_period_counts_its_first_day() -> None:
    assert rules.signing_closes_on(date(2026, 3, 1), 30) == date(2026, 3, 30)
    assert rules.days_left(date(2026, 3, 30), date(2026, 3, 30)) == 1
    assert rules.days_left(date(2026, 3, 30), date(2026, 3, 1)) == 30
    assert rules.days_left(date(2026, 3, 30), date(2026, 3, 31)) == 0


def test_a_signer_is_18_on_the_birthday_not_the_day_before() -> None:
    birth = date(2008, 5, 20)
    assert not rules.old_enough_to_sign(birth, date(2026, 5, 19))
    assert rules.old_enough_to_sign(birth, date(2026, 5, 20))


def test_the_grounds_are_counted_in_words() -> None:
    assert rules.word_count("  Аким не выполнил\nобещания.  ") == 4


TABLE = """
# small units need a fixed number
0-499: 40
500-1999: 8%
2000-: 6.5%
"""


def test_a_table_of_bands_replaces_the_flat_share() -> None:
    bands = rules.parse_bands(TABLE)
    assert bands == [
        Band(0, 499, signatures=40),
        Band(500, 1999, share=Decimal("0.08")),
        Band(2000, None, share=Decimal("0.065")),
    ]
    assert rules.required_signatures(499, share=0.1, bands=bands) == (
        40,
        {"kind": "band", "band": "0-499", "value": "40"},
    )
    assert rules.required_signatures(500, share=0.1, bands=bands)[0] == 40  # 8% of 500
    assert rules.required_signatures(1999, share=0.1, bands=bands)[0] == 160  # 159.92 rounded up
    assert rules.required_signatures(3000, share=0.1, bands=bands)[0] == 195
    assert rules.required_signatures(3000, share=0.1, bands=[]) == (300, {"kind": "share", "share": "0.1"})


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("100-: 5%", 1, "start at 0"),
        ("0-99: 5\n101-: 5%", 2, "start at 100"),
        ("0-99: 5\n50-: 5%", 2, "start at 100"),
        ("0-99: 5\n100-200: 5%", 2, "no upper end"),
        ("0-: 5\n100-: 5%", 1, "only the last band"),
        ("0-99: 0", 1, "at least 1"),
        ("0-99: 2.5", 1, "whole number"),
        ("0-: 120%", 1, "at most 100%"),
        ("0-: 0%", 1, "more than 0%"),
        ("99-0: 5", 1, "below its lower end"),
        ("zero to ten: 5", 1, "MIN-MAX: VALUE"),
    ],
)
def test_a_broken_table_is_refused_with_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(BandsError) as refused:
        rules.parse_bands(text)
    assert any(n == line and fragment in message for n, message in refused.value.errors), refused.value.errors


def test_an_empty_table_means_the_flat_share() -> None:
    assert rules.parse_bands("\n# nothing\n") == []


@st.composite
def tables(draw: st.DrawFn) -> list[Band]:
    cuts = sorted(set(draw(st.lists(st.integers(1, 100_000), max_size=6))))
    starts = [0, *cuts]
    bands = []
    for index, start in enumerate(starts):
        end = starts[index + 1] - 1 if index + 1 < len(starts) else None
        if draw(st.booleans()):
            bands.append(Band(start, end, signatures=draw(st.integers(1, 10_000))))
        else:
            percent = Decimal(draw(st.integers(1, 10_000))) / 100  # 0.01% to 100%
            bands.append(Band(start, end, share=percent / 100))
    return bands


@given(tables())
def test_a_written_table_reads_back_the_same(bands: list[Band]) -> None:
    again = rules.parse_bands(rules.format_bands(bands))
    assert [(b.min_voters, b.max_voters, b.signatures) for b in again] == [
        (b.min_voters, b.max_voters, b.signatures) for b in bands
    ]
    assert [b.share for b in again] == [b.share for b in bands]


@given(tables(), st.integers(0, 10_000_000))
def test_every_electorate_falls_in_exactly_one_band(bands: list[Band], voters: int) -> None:
    assert sum(band.covers(voters) for band in bands) == 1
    required, basis = rules.required_signatures(voters, share=0.1, bands=bands)
    assert required >= 1 and basis["kind"] == "band"


@given(st.text(max_size=300))
def test_any_text_gives_a_table_or_line_numbered_errors(text: str) -> None:
    try:
        bands = rules.parse_bands(text)
    except BandsError as exc:
        assert exc.errors and all(isinstance(line, int) and message for line, message in exc.errors)
    else:
        rules.check_bands(bands)
