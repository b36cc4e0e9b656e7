"""Kazakhstan's individual identification number (IIN): parsing, validation, fingerprints and masking.

Masked form is first 2 + 8 asterisks + last 2 digits ("88********47"): the birth date is personal data too.
"""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

ALMATY = ZoneInfo("Asia/Almaty")

_ASCII_DIGITS = frozenset("0123456789")
_FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# The 7th digit: 1/2 = 1800s, 3/4 = 1900s, 5/6 = 2000s; odd is male, even is female.
_CENTURY_BY_MARKER = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


class InvalidIIN(ValueError):
    """Raised with a human-readable, translatable reason (also available as `.reason`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _today() -> date:
    return datetime.now(ALMATY).date()


def _check_digit(body: str) -> int | None:
    """The check digit demanded by the first 11 digits, or None when both passes give 10."""
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        remainder = sum(int(digit) * weight for digit, weight in zip(body[:11], weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def _decode(value: object) -> tuple[date, str]:
    if not isinstance(value, str):
        raise InvalidIIN(_("An IIN must be entered as text."))
    if len(value) != 12 or not _ASCII_DIGITS.issuperset(value):
        raise InvalidIIN(_("An IIN must consist of exactly 12 digits (0-9)."))
    marker = int(value[6])
    if marker not in _CENTURY_BY_MARKER:
        raise InvalidIIN(_("The 7th digit of an IIN must be from 1 to 6."))
    try:
        birth_date = date(_CENTURY_BY_MARKER[marker] + int(value[:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        raise InvalidIIN(_("The first six digits of an IIN must be a real date of birth (YYMMDD).")) from None
    if birth_date > _today():
        raise InvalidIIN(_("The date of birth in an IIN cannot be in the future."))
    expected = _check_digit(value)
    if expected is None:
        raise InvalidIIN(_("This IIN cannot be valid: no check digit exists for its first 11 digits."))
    if expected != int(value[11]):
        raise InvalidIIN(_("The last digit of the IIN does not match the others; please check it for typos."))
    return birth_date, "M" if marker % 2 else "F"


@dataclass(frozen=True, repr=False)
class IIN:
    """A validated IIN; constructing one with an invalid value raises InvalidIIN."""

    value: str
    birth_date: date = field(init=False, compare=False)
    sex: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        birth_date, sex = _decode(self.value)
        # The dataclass is frozen, so derived fields can only be set through object.__setattr__.
        object.__setattr__(self, "birth_date", birth_date)
        object.__setattr__(self, "sex", sex)

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        # Keep full IINs out of logs and tracebacks.
        return f"IIN({mask_iin(self)!r})"


def parse_iin(value: str) -> IIN:
    return IIN(value.strip() if isinstance(value, str) else value)


def _as_iin(iin: str | IIN) -> IIN:
    return iin if isinstance(iin, IIN) else parse_iin(iin)


def iin_fingerprint(iin: str | IIN) -> str:
    """HMAC-SHA256 of a valid IIN keyed with settings.ESEP_IIN_PEPPER: matches IINs without storing them."""
    digits = _as_iin(iin).value
    pepper = getattr(settings, "ESEP_IIN_PEPPER", None)
    if not isinstance(pepper, str) or not pepper:
        raise ImproperlyConfigured("ESEP_IIN_PEPPER must be a non-empty string.")
    return hmac.new(pepper.encode("utf-8"), digits.encode("ascii"), hashlib.sha256).hexdigest()


def mask_iin(iin: str | IIN) -> str:
    digits = _as_iin(iin).value
    return f"{digits[:2]}{'*' * 8}{digits[-2:]}"


def generate_valid_iin(birth_date: date, sex: str, serial: int) -> str:
    """Builds a valid IIN; raises ValueError when this serial has no check digit, so try the next one."""
    if isinstance(birth_date, datetime) or not isinstance(birth_date, date):
        raise TypeError("birth_date must be a datetime.date, not a datetime.")
    if not 1800 <= birth_date.year <= 2099:
        raise ValueError("An IIN can only encode birth years from 1800 to 2099.")
    if birth_date > _today():
        raise ValueError("birth_date is in the future.")
    if sex not in ("M", "F"):
        raise ValueError('sex must be "M" or "F".')
    if isinstance(serial, bool) or not isinstance(serial, int) or not 0 <= serial <= 9999:
        raise ValueError("serial must be an integer from 0 to 9999.")
    marker = (birth_date.year - 1800) // 100 * 2 + (1 if sex == "M" else 2)
    body = f"{birth_date.year % 100:02d}{birth_date.month:02d}{birth_date.day:02d}{marker}{serial:04d}"
    check = _check_digit(body)
    if check is None:
        raise ValueError(f"Serial {serial} gives no valid check digit for this birth date and sex.")
    return f"{body}{check}"
