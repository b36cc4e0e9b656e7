"""The arithmetic of a recall, as pure functions: words of the grounds, the signing period, the threshold
(flat share of the voters, or a table of bands by electorate size), the signer's age.

Shares are Decimals: 7% of 100 voters is 7 signatures, where floating point would say 7.000000000000001 and
round it up to 8.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from esep.elections.rules import age_on

GROUNDS_MAX_WORDS = 200
ANSWER_MAX_WORDS = 300
MIN_SIGNER_AGE = 18
# A commission may open signing on the day it registers the initiative or up to this many days later.
MAX_OPENING_DELAY_DAYS = 30
MAX_SHEET_LINES = 500


def word_count(text: str) -> int:
    return len(text.split())


def signing_closes_on(opens_on: date, signing_days: int) -> date:
    """The last day of signing: a period of `signing_days` days that includes its first day."""
    return opens_on + timedelta(days=signing_days - 1)


def days_left(closes_on: date, today: date) -> int:
    """Signing days left, today included (0 once the last day has passed)."""
    return max(0, (closes_on - today).days + 1)


def old_enough_to_sign(birth_date: date, day: date) -> bool:
    return age_on(birth_date, day) >= MIN_SIGNER_AGE


def as_share(value: object) -> Decimal:
    """A share (0.1 for 10%) as an exact Decimal: floats go through their shortest decimal text."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def signatures_for_share(voters: int, share: object) -> int:
    """`share` of the voters, rounded up, and never fewer than one signature."""
    exact = (as_share(share) * voters).to_integral_value(rounding=ROUND_CEILING)
    return max(1, int(exact))


def threshold_reached(valid: int, required: int) -> bool:
    return valid >= required


# --- Threshold bands ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """Units of `min_voters` to `max_voters` voters (None: no end) need `signatures`, or `share` of them."""

    min_voters: int
    max_voters: int | None
    signatures: int | None = None
    share: Decimal | None = None

    def covers(self, voters: int) -> bool:
        return self.min_voters <= voters and (self.max_voters is None or voters <= self.max_voters)

    def required(self, voters: int) -> int:
        if self.signatures is not None:
            return self.signatures
        return signatures_for_share(voters, self.share)

    @property
    def range_text(self) -> str:
        return (
            f"{self.min_voters}-{self.max_voters}" if self.max_voters is not None else f"{self.min_voters}-"
        )

    @property
    def value_text(self) -> str:
        if self.signatures is not None:
            return str(self.signatures)
        percent = (self.share * 100).normalize()
        return f"{percent:f}%"


class BandsError(ValueError):
    """A table of bands that cannot be used; `errors` are (line, message) in the order found."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(f"{line}: {message}" for line, message in errors))
        self.errors = errors


_LINE = re.compile(r"^\s*(\d{1,9})\s*-\s*(\d{1,9})?\s*:\s*(\d{1,9}(?:[.,]\d{1,6})?)\s*(%?)\s*$")


def parse_bands(text: str) -> list[Band]:
    """Read a table written one band a line, `MIN-MAX: VALUE`: `0-499: 40`, `500-1999: 8%`, `2000-: 6.5%`.

    VALUE is a number of signatures, or a share of the voters when it ends in %. Blank lines and lines
    starting with # are ignored. The bands must start at 0, follow each other without gap or overlap, and
    the last one must have no upper end, so that every electorate falls in exactly one band.
    """
    bands: list[Band] = []
    errors: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            errors.append((number, _("write a band as MIN-MAX: VALUE, for example 500-1999: 8%")))
            continue
        low, high, value, percent = match.groups()
        try:
            amount = Decimal(value.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            errors.append((number, _("the value is not a number")))
            continue
        if percent:
            if not 0 < amount <= 100:
                errors.append((number, _("a share must be more than 0% and at most 100%")))
                continue
            band = Band(int(low), int(high) if high else None, share=amount / 100)
        else:
            if amount != amount.to_integral_value() or amount < 1:
                errors.append((number, _("a number of signatures must be a whole number of at least 1")))
                continue
            band = Band(int(low), int(high) if high else None, signatures=int(amount))
        if band.max_voters is not None and band.max_voters < band.min_voters:
            errors.append((number, _("the upper end of a band cannot be below its lower end")))
            continue
        bands.append(band)
    if errors:
        raise BandsError(errors)
    check_bands(bands)
    return bands


def check_bands(bands: list[Band]) -> None:
    """An empty table (the flat share applies) or contiguous bands from 0 voters with an open last band."""
    if not bands:
        return
    errors: list[tuple[int, str]] = []
    if bands[0].min_voters != 0:
        errors.append((1, _("the first band must start at 0 voters")))
    for index, (band, following) in enumerate(zip(bands, bands[1:], strict=False), start=1):
        if band.max_voters is None:
            errors.append((index, _("only the last band may have no upper end")))
        elif following.min_voters != band.max_voters + 1:
            errors.append(
                (index + 1, _("this band must start at %(start)d voters") % {"start": band.max_voters + 1})
            )
    if bands[-1].max_voters is not None:
        errors.append((len(bands), _("the last band must have no upper end (write 2000-: 5%)")))
    if errors:
        raise BandsError(errors)


def format_bands(bands: list[Band]) -> str:
    return "\n".join(f"{band.range_text}: {band.value_text}" for band in bands)


def band_for(voters: int, bands: list[Band]) -> Band | None:
    return next((band for band in bands if band.covers(voters)), None)


def required_signatures(voters: int, *, share: object, bands: list[Band]) -> tuple[int, dict]:
    """Signatures needed in a unit of `voters` voters, and the basis of the figure (kept on the initiative).

    A table of bands, when one is in force, replaces the flat share of the rule set.
    """
    band = band_for(voters, bands) if bands else None
    if band is not None:
        basis = {"kind": "band", "band": band.range_text, "value": band.value_text}
        return band.required(voters), basis
    return signatures_for_share(voters, share), {"kind": "share", "share": str(as_share(share))}


def percent_text(share: object) -> str:
    """0.1 -> "10", 0.075 -> "7.5"."""
    value = (as_share(share) * 100).normalize()
    return f"{value:f}"
