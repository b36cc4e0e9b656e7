import dataclasses
import hashlib
import hmac
import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from hypothesis import assume, example, given
from hypothesis import strategies as st

from esep.core import iin as iin_module
from esep.core.iin import IIN, InvalidIIN, generate_valid_iin, iin_fingerprint, mask_iin, parse_iin

if TYPE_CHECKING:
    from pytest_django.fixtures import Settings

NOT_TEXT = "An IIN must be entered as text."
NOT_12_DIGITS = "An IIN must consist of exactly 12 digits (0-9)."
BAD_CENTURY = "The 7th digit of an IIN must be from 1 to 6."
BAD_DATE = "The first six digits of an IIN must be a real date of birth (YYMMDD)."
FUTURE_DATE = "The date of birth in an IIN cannot be in the future."
NO_CHECK_DIGIT = "This IIN cannot be valid: no check digit exists for its first 11 digits."
BAD_CHECK_DIGIT = "The last digit of the IIN does not match the others; please check it for typos."

# Checked by hand: 8*1+8*2+1*4+1*6+3*7+1*9+2*10+3*11 = 117, 117 mod 11 = 7.
FIRST_PASS_MALE_1988 = "880101301237"
# Checked by hand: first pass 76 mod 11 = 10; second pass 24+32+6+8+27+1+2 = 100, 100 mod 11 = 1.
SECOND_PASS_MALE_1988 = "880101300111"
# Checked by hand: 9+10+28+5+30+28+11 = 121, 121 mod 11 = 0.
FEMALE_1995 = "950715400010"
# Checked by hand: 8+10+54+42+55 = 169, 169 mod 11 = 4; 2000 is a leap year.
FEMALE_LEAP_2000 = "000229600054"
# Checked by hand: 10+12+5+7 = 34, 34 mod 11 = 1.
MALE_1805 = "050310100001"
# Checked by hand: first pass 65 mod 11 = 10, second pass 98 mod 11 = 10.
IMPOSSIBLE_BODY = "88010130010"

SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]


def ref_sums(digits: str) -> tuple[int, int]:
    """Reference implementation, written independently of esep.core.iin: both weighted sums mod 11."""
    first = sum(int(d) * (i + 1) for i, d in enumerate(digits[:11])) % 11
    second = sum(int(d) * w for d, w in zip(digits[:11], SECOND_WEIGHTS, strict=True)) % 11
    return first, second


def ref_check_digit(digits: str) -> int | None:
    first, second = ref_sums(digits)
    if first != 10:
        return first
    return None if second == 10 else second


def ref_pass(digits: str) -> int | None:
    """Which pass decides the check digit: 1, 2, or None when neither can."""
    first, second = ref_sums(digits)
    if first != 10:
        return 1
    return 2 if second != 10 else None


def with_check(body: str) -> str:
    check = ref_check_digit(body)
    assert check is not None, body
    return body + str(check)


def almaty_today() -> date:
    return datetime.now(ZoneInfo("Asia/Almaty")).date()


def ref_is_valid(text: str) -> bool:
    if len(text) != 12 or any(c not in "0123456789" for c in text):
        return False
    century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}.get(text[6])
    if century is None:
        return False
    try:
        born = date(century + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        return False
    return born <= almaty_today() and ref_check_digit(text) == int(text[11])


def reason(value: object) -> str:
    with translation.override("en"), pytest.raises(InvalidIIN) as caught:
        parse_iin(value)  # type: ignore[arg-type]
    return str(caught.value)


# Known valid numbers


@pytest.mark.parametrize(
    ("value", "birth_date", "sex"),
    [
        (FIRST_PASS_MALE_1988, date(1988, 1, 1), "M"),
        (SECOND_PASS_MALE_1988, date(1988, 1, 1), "M"),
        (FEMALE_1995, date(1995, 7, 15), "F"),
        (FEMALE_LEAP_2000, date(2000, 2, 29), "F"),
        (MALE_1805, date(1805, 3, 10), "M"),
    ],
)
def test_known_valid_iins_parse(value: str, birth_date: date, sex: str) -> None:
    assert ref_is_valid(value)
    parsed = parse_iin(value)
    assert parsed.value == value
    assert str(parsed) == value
    assert parsed.birth_date == birth_date
    assert parsed.sex == sex


def test_second_pass_example_really_needs_the_second_pass() -> None:
    assert ref_sums(SECOND_PASS_MALE_1988) == (10, 1)


@pytest.mark.parametrize(
    ("marker", "year", "sex"),
    [
        ("1", 1805, "M"),
        ("2", 1805, "F"),
        ("3", 1905, "M"),
        ("4", 1905, "F"),
        ("5", 2005, "M"),
        ("6", 2005, "F"),
    ],
)
def test_seventh_digit_gives_century_and_sex(marker: str, year: int, sex: str) -> None:
    parsed = parse_iin(with_check(f"050607{marker}0042"))
    assert parsed.birth_date == date(year, 6, 7)
    assert parsed.sex == sex


@pytest.mark.parametrize("padding", [" ", "  \t", "\n", "\r\n", "\u00a0"])
def test_surrounding_whitespace_is_stripped(padding: str) -> None:
    assert parse_iin(f"{padding}{FIRST_PASS_MALE_1988}{padding}").value == FIRST_PASS_MALE_1988


def test_iin_is_a_frozen_value_object_whose_repr_hides_the_number() -> None:
    parsed = parse_iin(FIRST_PASS_MALE_1988)
    assert parsed == IIN(FIRST_PASS_MALE_1988)
    assert hash(parsed) == hash(IIN(FIRST_PASS_MALE_1988))
    assert parsed != parse_iin(FEMALE_1995)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.value = FEMALE_1995  # type: ignore[misc]
    assert FIRST_PASS_MALE_1988 not in repr(parsed)
    assert "010130123" not in repr(parsed)


def test_constructing_iin_directly_validates() -> None:
    with translation.override("en"), pytest.raises(InvalidIIN, match=re.escape(BAD_CHECK_DIGIT)):
        IIN(FIRST_PASS_MALE_1988[:11] + "8")


# Each failure reason


def test_invalid_iin_is_a_value_error_with_reason() -> None:
    with translation.override("en"), pytest.raises(ValueError) as caught:
        parse_iin("123")
    assert isinstance(caught.value, InvalidIIN)
    assert str(caught.value.reason) == NOT_12_DIGITS


@pytest.mark.parametrize("value", [None, 880101301237, b"880101301237", ["880101301237"], 8.8])
def test_non_strings_are_rejected(value: object) -> None:
    assert reason(value) == NOT_TEXT


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "88010130123",
        "8801013012370",
        "88010130123a",
        "880101 301237",
        "880101-301237",
        "+88010130123",
        "-88010130123",
        "88010130123.",
        "８８０１０１３０１２３７",  # full-width digits
        "٨٨٠١٠١٣٠١٢٣٧",  # Arabic-Indic digits
        "۸۸۰۱۰۱۳۰۱۲۳۷",  # Extended Arabic-Indic (Persian) digits
        "88010130123٧",  # one Arabic-Indic digit at the end
        "88010130123７",  # one full-width digit at the end
        "88010130123²",  # superscript two: str.isdigit() is True for it
    ],
)
def test_anything_but_twelve_ascii_digits_is_rejected(value: str) -> None:
    assert reason(value) == NOT_12_DIGITS


def test_unicode_digit_strings_really_would_fool_isdigit() -> None:
    assert "٨٨٠١٠١٣٠١٢٣٧".isdigit() and "８８０１０１３０１２３７".isdigit() and "²".isdigit()


@pytest.mark.parametrize("marker", ["0", "7", "8", "9"])
def test_seventh_digit_outside_1_to_6_is_rejected(marker: str) -> None:
    assert reason(with_check(f"880101{marker}0123")) == BAD_CENTURY


@pytest.mark.parametrize(
    "body",
    [
        "8813013",  # month 13
        "8800013",  # month 0
        "8801003",  # day 0
        "8801323",  # 32 January
        "8804313",  # 31 April
        "8802303",  # 30 February
        "8902293",  # 29 February 1989, not a leap year
        "0002293",  # 29 February 1900: divisible by 100, not by 400
        "2302295",  # 29 February 2023
    ],
)
def test_impossible_birth_dates_are_rejected(body: str) -> None:
    # Some serial of the ten always has a check digit, so only the date is wrong.
    value = next(
        with_check(body + f"{s:04d}") for s in range(10) if ref_check_digit(body + f"{s:04d}") is not None
    )
    assert reason(value) == BAD_DATE


def test_leap_days_that_exist_are_accepted() -> None:
    assert parse_iin(with_check("0002295" + "0001")).birth_date == date(2000, 2, 29)
    assert parse_iin(with_check("9602294" + "0001")).birth_date == date(1996, 2, 29)


def test_future_birth_date_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(iin_module, "_today", lambda: date(2026, 3, 10))
    assert parse_iin(with_check("2603105" + "0001")).birth_date == date(2026, 3, 10)
    assert reason(with_check("2603115" + "0001")) == FUTURE_DATE


def test_far_future_birth_date_is_rejected_with_the_real_clock() -> None:
    assert reason(with_check("9912316" + "0001")) == FUTURE_DATE


def test_today_is_the_almaty_date() -> None:
    # Almaty's date may differ from UTC's around midnight; compare with a fresh reading either side.
    before = almaty_today()
    today = iin_module._today()
    assert before <= today <= almaty_today()


@pytest.mark.parametrize("valid", [FIRST_PASS_MALE_1988, SECOND_PASS_MALE_1988, FEMALE_1995, MALE_1805])
def test_every_wrong_check_digit_is_rejected(valid: str) -> None:
    for digit in "0123456789":
        if digit != valid[11]:
            assert reason(valid[:11] + digit) == BAD_CHECK_DIGIT


def test_check_digit_ten_in_both_passes_cannot_be_valid() -> None:
    assert ref_sums(IMPOSSIBLE_BODY + "0") == (10, 10)
    for digit in "0123456789":
        assert reason(IMPOSSIBLE_BODY + digit) == NO_CHECK_DIGIT


def test_brute_forced_impossible_numbers_are_all_rejected() -> None:
    impossible = [f"9507154{s:04d}" for s in range(10_000) if ref_sums(f"9507154{s:04d}") == (10, 10)]
    assert impossible, "brute force should find at least one impossible serial"
    for body in impossible:
        assert reason(body + "0") == NO_CHECK_DIGIT
        with pytest.raises(ValueError):
            generate_valid_iin(date(1995, 7, 15), "F", int(body[7:]))


# generate_valid_iin


def test_generate_valid_iin_matches_hand_computed_numbers() -> None:
    assert generate_valid_iin(date(1988, 1, 1), "M", 123) == FIRST_PASS_MALE_1988
    assert generate_valid_iin(date(1988, 1, 1), "M", 11) == SECOND_PASS_MALE_1988
    assert generate_valid_iin(date(1995, 7, 15), "F", 1) == FEMALE_1995
    assert generate_valid_iin(date(2000, 2, 29), "F", 5) == FEMALE_LEAP_2000
    assert generate_valid_iin(date(1805, 3, 10), "M", 0) == MALE_1805


def test_generate_valid_iin_refuses_a_serial_without_check_digit() -> None:
    with pytest.raises(ValueError, match="check digit"):
        generate_valid_iin(date(1988, 1, 1), "M", 10)


@pytest.mark.parametrize(
    ("birth_date", "sex", "serial"),
    [
        (date(1799, 12, 31), "M", 1),
        (date(2100, 1, 1), "M", 1),
        (date(1990, 1, 1), "X", 1),
        (date(1990, 1, 1), "m", 1),
        (date(1990, 1, 1), "M", -1),
        (date(1990, 1, 1), "M", 10_000),
        (date(1990, 1, 1), "M", True),
        (date(1990, 1, 1), "M", "1"),
    ],
)
def test_generate_valid_iin_rejects_bad_arguments(birth_date: date, sex: str, serial: int) -> None:
    with pytest.raises(ValueError):
        generate_valid_iin(birth_date, sex, serial)


def test_generate_valid_iin_names_the_supported_years() -> None:
    with pytest.raises(ValueError, match="1800 to 2099"):
        generate_valid_iin(date(1799, 12, 31), "M", 1)


def test_generate_valid_iin_rejects_future_dates_and_datetimes() -> None:
    with pytest.raises(ValueError):
        generate_valid_iin(almaty_today() + timedelta(days=400), "F", 1)
    with pytest.raises(TypeError):
        generate_valid_iin(datetime(1990, 1, 1, tzinfo=ZoneInfo("Asia/Almaty")), "F", 1)


# Fingerprints


def test_fingerprint_is_hmac_sha256_with_the_pepper(settings: "Settings") -> None:
    settings.ESEP_IIN_PEPPER = "pepper-ä"
    expected = hmac.new("pepper-ä".encode(), FIRST_PASS_MALE_1988.encode(), hashlib.sha256).hexdigest()
    assert iin_fingerprint(FIRST_PASS_MALE_1988) == expected
    assert re.fullmatch(r"[0-9a-f]{64}", expected)


def test_fingerprint_is_deterministic_across_input_forms(settings: "Settings") -> None:
    settings.ESEP_IIN_PEPPER = "one"
    first = iin_fingerprint(FIRST_PASS_MALE_1988)
    assert iin_fingerprint(FIRST_PASS_MALE_1988) == first
    assert iin_fingerprint(f"  {FIRST_PASS_MALE_1988}\n") == first
    assert iin_fingerprint(parse_iin(FIRST_PASS_MALE_1988)) == first
    assert iin_fingerprint(FEMALE_1995) != first


def test_fingerprint_depends_on_the_pepper(settings: "Settings") -> None:
    settings.ESEP_IIN_PEPPER = "one"
    first = iin_fingerprint(FIRST_PASS_MALE_1988)
    settings.ESEP_IIN_PEPPER = "two"
    assert iin_fingerprint(FIRST_PASS_MALE_1988) != first


@pytest.mark.parametrize(
    "value", [FIRST_PASS_MALE_1988, SECOND_PASS_MALE_1988, FEMALE_1995, FEMALE_LEAP_2000]
)
def test_fingerprint_never_contains_the_digits(settings: "Settings", value: str) -> None:
    settings.ESEP_IIN_PEPPER = "pepper"
    fingerprint = iin_fingerprint(value)
    assert value not in fingerprint
    assert value[6:11] not in fingerprint


@pytest.mark.parametrize("value", [FIRST_PASS_MALE_1988[:11] + "0", IMPOSSIBLE_BODY + "0", "12345", None])
def test_fingerprint_rejects_invalid_iins(value: object) -> None:
    with pytest.raises(InvalidIIN):
        iin_fingerprint(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("pepper", ["", None, b"bytes"])
def test_fingerprint_needs_a_string_pepper(settings: "Settings", pepper: object) -> None:
    settings.ESEP_IIN_PEPPER = pepper
    with pytest.raises(ImproperlyConfigured):
        iin_fingerprint(FIRST_PASS_MALE_1988)


def test_fingerprint_needs_the_setting(settings: "Settings") -> None:
    del settings.ESEP_IIN_PEPPER
    with pytest.raises(ImproperlyConfigured):
        iin_fingerprint(FIRST_PASS_MALE_1988)


# Masking


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (FIRST_PASS_MALE_1988, "88********37"),
        (FEMALE_1995, "95********10"),
        (f" {FEMALE_LEAP_2000} ", "00********54"),
        (parse_iin(SECOND_PASS_MALE_1988), "88********11"),
    ],
)
def test_mask_keeps_only_two_digits_at_each_end(value: str | IIN, masked: str) -> None:
    assert mask_iin(value) == masked
    assert len(masked) == 12


def test_mask_rejects_invalid_iins() -> None:
    with pytest.raises(InvalidIIN):
        mask_iin(FIRST_PASS_MALE_1988[:11] + "0")


# Properties

birth_dates = st.dates(min_value=date(1800, 1, 1), max_value=almaty_today())
sexes = st.sampled_from(["M", "F"])
serials = st.integers(min_value=0, max_value=9999)


def generated(birth_date: date, sex: str, serial: int) -> str:
    try:
        return generate_valid_iin(birth_date, sex, serial)
    except ValueError:
        assume(False)
        raise


@given(birth_dates, sexes, serials)
@example(date(1800, 1, 1), "M", 0)
@example(date(2000, 2, 29), "F", 9999)
def test_generated_iins_round_trip(birth_date: date, sex: str, serial: int) -> None:
    value = generated(birth_date, sex, serial)
    parsed = parse_iin(value)
    assert parsed.value == value
    assert parsed.birth_date == birth_date
    assert parsed.sex == sex
    assert value[7:11] == f"{serial:04d}"
    assert ref_is_valid(value)


@given(birth_dates, sexes, serials)
def test_generate_fails_exactly_when_no_check_digit_exists(birth_date: date, sex: str, serial: int) -> None:
    try:
        value = generate_valid_iin(birth_date, sex, serial)
    except ValueError:
        value = None
    century_marker = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100] + (sex == "F")
    body = (
        f"{birth_date.year % 100:02d}{birth_date.month:02d}{birth_date.day:02d}{century_marker}{serial:04d}"
    )
    assert (value is None) == (ref_check_digit(body) is None)


@given(
    birth_dates, sexes, serials, st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=9)
)
def test_single_digit_change(birth_date: date, sex: str, serial: int, position: int, shift: int) -> None:
    # Why this is exactly what holds: with first-pass weights 1..11 (mod 11, prime) a change at position k
    # shifts the sum by k*delta, which is 0 mod 11 only for k = 11; second-pass weights are 0 mod 11 only at
    # position 9, where the first-pass sum then moves off 10, so the pass changes. A change at position 12
    # keeps the demanded check digit, so it is always caught.
    original = generated(birth_date, sex, serial)
    digits = list(original)
    digits[position] = str((int(digits[position]) + shift) % 10)
    changed = "".join(digits)
    if position == 10 and ref_pass(original) == 1:
        # The 11th digit weighs 11 = 0 (mod 11) in the first pass: the check digit cannot see it.
        still_valid = parse_iin(changed)
        assert (still_valid.birth_date, still_valid.sex) == (birth_date, sex)
    elif position == 11 or ref_pass(changed) == ref_pass(original):
        with pytest.raises(InvalidIIN):
            parse_iin(changed)
    else:
        # The change moved the number to the other pass, so it may or may not be valid: follow the reference.
        try:
            parse_iin(changed)
        except InvalidIIN:
            assert not ref_is_valid(changed)
        else:
            assert ref_is_valid(changed)


def test_single_digit_changes_exhaustively_for_known_numbers() -> None:
    for original in (FIRST_PASS_MALE_1988, SECOND_PASS_MALE_1988, FEMALE_1995, FEMALE_LEAP_2000, MALE_1805):
        blind_spot = 0
        for position in range(12):
            for digit in "0123456789":
                if digit == original[position]:
                    continue
                changed = original[:position] + digit + original[position + 1 :]
                try:
                    parse_iin(changed)
                except InvalidIIN:
                    assert not ref_is_valid(changed)
                    continue
                assert position != 11
                if position == 10 and ref_pass(original) == 1:
                    blind_spot += 1
                else:
                    assert ref_pass(changed) != ref_pass(original), changed
        assert blind_spot == (9 if ref_pass(original) == 1 else 0), original


text_inputs = st.one_of(
    st.text(),
    st.text(alphabet="0123456789", min_size=12, max_size=12),
    st.text(alphabet=st.characters(categories=["Nd", "Zs", "Cc"]), max_size=16),
    st.builds(
        lambda a, b, c: a + b + c,
        st.text(" \t\n", max_size=2),
        st.from_regex(r"\A[0-9]{12}\Z"),
        st.text(" \n", max_size=2),
    ),
)


@given(text_inputs)
@example("٨٨٠١٠١٣٠١٢٣٧")
@example(FIRST_PASS_MALE_1988)
def test_any_text_either_parses_or_raises_invalid_iin(text: str) -> None:
    try:
        parsed = parse_iin(text)
    except InvalidIIN as error:
        with translation.override("en"):
            assert str(error) in {
                NOT_12_DIGITS,
                BAD_CENTURY,
                BAD_DATE,
                FUTURE_DATE,
                NO_CHECK_DIGIT,
                BAD_CHECK_DIGIT,
            }
        assert not ref_is_valid(text.strip())
    else:
        assert parsed.value == text.strip()
        assert ref_is_valid(parsed.value)


@given(st.one_of(st.none(), st.integers(), st.binary(), st.floats(), st.lists(st.integers())))
def test_any_non_text_raises_invalid_iin(value: object) -> None:
    assert reason(value) == NOT_TEXT
