"""Every form class of esep under generated hostile input: is_valid() never raises, and a form says no to what
its fields cannot hold.

Forms are found, not listed: every `esep.<app>.forms` module is imported and each `forms.BaseForm` subclass
defined there is tried (likewise each formset), so a form is covered the day it is written. A form that needs
constructor arguments is named in CONSTRUCTOR_KWARGS with them; an unlisted form that cannot be built fails.

Per field, Hypothesis draws either a plausible value (a real choice, a date, a number within bounds, so the
forms' own clean() methods run) or a hostile one: 100,000 characters, one character over max_length, control
characters and NUL bytes, lone UTF-16 surrogates (what undecodable UTF-8 becomes under surrogateescape), text
where a number or a date belongs, numbers of 40 digits, negative numbers, NaN and infinities, Unicode digits,
HTML/JS, template and SQL syntax, `../../etc/passwd`, formula prefixes `= + - @`, a list where one value
belongs, a missing field; and for file fields files whose name or type lies (a script named photo.jpg, a path
as the name, an executable named .pdf, a PNG named .pdf, an empty file, a name of 300 characters, an 11 MB
upload, a pixel bomb). Each example asserts that
- is_valid() and rendering the bound form again (what a view does on error) raise nothing;
- every field that got a value its declaration refuses (missing while required, too long or short, NUL, not
  the pattern, not a number, not finite, out of bounds, not a date, not a choice, an empty file, not an image)
  is named in form.errors, so is_valid() is False;
- when is_valid() is True, every cleaned value fits its field (type, length, NUL, pattern, bounds, choice).

Cases tried (derandomized: the same on every run): 72 forms x 25 generated examples (`EXAMPLES_PER_FORM`) =
1,800; the catalogue swept through every field at once (`sweep`): 72 forms x 60 values + 5 forms with file
fields x 13 files = 4,385; the reports' budget formset x 25 tampered management forms; 6,210 in all.
"""

import importlib
import importlib.util
import io
import math
import pkgutil
import re
import struct
import zlib
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

import esep
from tests.elections.factories import make_party
from tests.training.factories import make_body, make_catalogue, make_category, make_session

EXAMPLES_PER_FORM = 25
MISSING = object()  # the field is left out of the POST body altogether

# Forms that cannot be built without arguments, with the arguments a view gives them (stand-ins for rows).
_PROMISE = SimpleNamespace(
    pk=7,
    local_id="P1",
    title="Repair the road",
    get_status_display=lambda: "in progress",
    deadline=date(2027, 1, 1),
)
_APPEAL = SimpleNamespace(
    pk=9, number="2026-000009", category=SimpleNamespace(name="Roads"), due_date=date(2026, 1, 1)
)
_CANDIDACY = SimpleNamespace(pk=11, person=SimpleNamespace(display_name="Сапаров Ержан"))
CONSTRUCTOR_KWARGS: dict[str, dict[str, Any]] = {
    "esep.elections.forms.AkimFilterForm": {"parties": [SimpleNamespace(code="AMANAT", name="AMANAT")]},
    "esep.programs.forms.PromiseForm": {"powers": [("roads.maintenance", "Roads: maintenance")]},
    "esep.programs.forms.FundingForm": {"plan_items": [("TST-2026-001", "TST-2026-001 Roads")]},
    "esep.recall.forms.FilingForm": {"promises": [_PROMISE], "appeals": [_APPEAL], "reports_enabled": True},
    # Buildable bare, but these arguments add the fields a view adds (vote fields, a party officer's parties).
    "esep.elections.forms.ResultForm": {"candidacies": [_CANDIDACY], "recall": True},
    "esep.elections.forms.NominationForm": {"party_codes": ["AMANAT"]},
    "esep.powers.forms.ProposalForm": {"power_codes": ("roads.maintenance",)},
}

NASTY_TEXT = (
    "",
    " ",
    "\t\r\n",
    "\x00",
    "ab\x00cd",
    "\x01\x02\x1b[31m\x7f\x9f",
    "\ud800",
    "a\udfffb\udc80",
    "\ufeff\u202e\u200b",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}{% debug %}${7*7}%s%n{0}",
    "'; DROP TABLE auth_user; --",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd\x00.jpg",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "-1",
    "0",
    "-99999999999999999999",
    "9" * 40,
    "1e308",
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    "0x1F",
    "1_000",
    "１２３",
    "²³",
    "٣٤",
    "1,5",
    "12.5",
    "1 000 000",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "31.12.2026",
    "true",
    "None",
    "[]",
    "{}",
    "x" * 100_000,
)
NASTY_BYTES = (
    b"\xff\xfe\x00\x00",
    b"\xed\xa0\x80",  # a UTF-16 surrogate encoded as UTF-8: not valid UTF-8
    b"\xc0\xaf",  # an overlong "/"
    b"\xe0\x80\xaf..\xc0\xaf",
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
    b"abc\xe2\x82",  # truncated sequence
    "Привет, =1+1".encode("cp1251"),
    "Сәлем".encode("utf-16"),
    b"\xef\xbb\xbf<b>BOM</b>",
)
BAD_DATES = {"2026-02-30", "2026-13-01", "0000-00-00", "10000-01-01"}


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _pixel_bomb() -> bytes:
    """A PNG whose header claims 60,000 x 60,000 pixels, with almost no data behind it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


SMALL_PNG = _png(4, 3)
BIG_BYTES = b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024) + b"\n%%EOF\n"
# name, content, content type, is it really an image
FILES = {
    "real png": ("photo.png", SMALL_PNG, "image/png", True),
    "script named photo.jpg": ("photo.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg", False),
    "html named png": ("x.png", b"<html><script>alert(1)</script></html>", "image/png", False),
    "executable named pdf": ("decision.pdf", b"MZ\x90\x00\x03\x00\x00\x00" * 64, "application/pdf", False),
    "png named pdf": ("decision.pdf", SMALL_PNG, "application/pdf", True),
    "path as name": ("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n", "text/plain", False),
    "windows path as name": ("..\\..\\boot.ini.jpg", SMALL_PNG, "image/jpeg", True),
    "NUL in name": ("evil.php\x00.jpg", SMALL_PNG, "image/jpeg", True),
    "formula csv": ("catalogue.csv", b"code,level\n=cmd|' /C calc'!A0,rural\n", "text/csv", False),
    "empty": ("empty.jpg", b"", "image/jpeg", False),
    "300-character name": ("a" * 300 + ".png", SMALL_PNG, "image/png", True),
    "11 MB": ("big.pdf", BIG_BYTES, "application/pdf", False),
    "pixel bomb": ("bomb.png", _pixel_bomb(), "image/png", False),
}


class Upload(SimpleUploadedFile):
    really_image = False


def upload(kind: str) -> Upload:
    name, content, content_type, really_image = FILES[kind]
    made = Upload(name, content, content_type)
    made.really_image = really_image
    return made


# --- discovery --------------------------------------------------------------------------------------------


def form_modules() -> list:
    modules = []
    for info in pkgutil.iter_modules(esep.__path__):
        if info.ispkg and importlib.util.find_spec(f"esep.{info.name}.forms") is not None:
            modules.append(importlib.import_module(f"esep.{info.name}.forms"))
    return modules


def discovered(base: type) -> dict[str, type]:
    found = {}
    for module in form_modules():
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, base)
                and value.__module__.startswith("esep.")
                and value not in (forms.BaseForm, forms.BaseFormSet)
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def discovered_formsets() -> dict[str, type]:
    found = {}
    for module in form_modules():
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, forms.BaseFormSet) and hasattr(value, "form"):
                found[f"{module.__name__}.{name}"] = value
    return found


FORMS = discovered(forms.BaseForm)
FORMSETS = discovered_formsets()


# --- values -----------------------------------------------------------------------------------------------


def choice_values(field: forms.ChoiceField) -> list[str]:
    values = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):
            values.extend(str(inner) for inner, _label in label)
        else:
            values.append(str(value))
    return values


def model_keys(field: forms.ModelChoiceField) -> list[str]:
    key = field.to_field_name or "pk"
    return [str(value) for value in field.queryset.values_list(key, flat=True)[:5]]


def plausible(field: forms.Field) -> st.SearchStrategy:
    if isinstance(field, forms.ModelMultipleChoiceField):
        keys = model_keys(field)
        return st.lists(st.sampled_from(keys), max_size=3) if keys else st.just([])
    if isinstance(field, forms.ModelChoiceField):
        keys = model_keys(field)
        return st.sampled_from(keys) if keys else st.just("")
    if isinstance(field, forms.MultipleChoiceField):
        values = choice_values(field)
        return st.lists(st.sampled_from(values), max_size=3) if values else st.just([])
    if isinstance(field, forms.ChoiceField):
        values = choice_values(field)
        return st.sampled_from(values) if values else st.just("")
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "false", "1"])
    if isinstance(field, forms.DateField):
        return st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)).map(date.isoformat)
    if isinstance(field, forms.DecimalField):
        low = Decimal(field.min_value if field.min_value is not None else -(10**6))
        high = Decimal(field.max_value if field.max_value is not None else 10**6)
        return st.decimals(min_value=low, max_value=high, places=2, allow_nan=False).map(str)
    if isinstance(field, forms.FloatField):
        low = field.min_value if field.min_value is not None else -1e6
        high = field.max_value if field.max_value is not None else 1e6
        return st.floats(min_value=low, max_value=high, allow_nan=False).map(repr)
    if isinstance(field, forms.IntegerField):
        low = field.min_value if field.min_value is not None else -1000
        high = field.max_value if field.max_value is not None else 10**7
        return st.integers(min_value=low, max_value=high).map(str)
    if isinstance(field, forms.URLField):
        return st.just("https://example.org/live/1")
    if isinstance(field, forms.RegexField):
        return st.from_regex(field.regex, fullmatch=True).filter(lambda text: "\n" not in text)
    if isinstance(field, forms.FileField):
        return st.sampled_from(["real png"]).map(upload)
    if isinstance(field, forms.CharField):
        low = max(field.min_length or 1, 1)
        high = max(min(field.max_length or 80, 80), low)
        alphabet = st.characters(categories=["L", "N", "Zs"])
        return st.text(alphabet, min_size=low, max_size=high).filter(lambda text: len(text.strip()) >= low)
    return st.just("")


def hostile(field: forms.Field) -> st.SearchStrategy:
    if isinstance(field, forms.FileField):
        one = st.sampled_from(sorted(FILES)).map(upload)
        if isinstance(field.widget, forms.ClearableFileInput) and field.widget.allow_multiple_selected:
            return st.one_of(one, st.lists(one, min_size=2, max_size=7))
        return one
    options = [
        st.sampled_from(NASTY_TEXT),
        st.text(st.characters(exclude_categories=()), max_size=30),  # any code point, surrogates included
        st.text(st.characters(max_codepoint=0x1F) | st.sampled_from("\x7f\x85\u2028\u2029"), min_size=1),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.sampled_from(NASTY_BYTES),
        st.binary(min_size=1, max_size=30),
        st.lists(st.sampled_from(NASTY_TEXT[:30]), min_size=2, max_size=5),
    ]
    limit = getattr(field, "max_length", None)
    if limit:
        options.append(st.just("y" * (limit + 1)))
    return st.one_of(options)


def field_values(form: forms.BaseForm) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            name: st.one_of(plausible(field), hostile(field), st.just(MISSING))
            for name, field in form.fields.items()
        }
    )


def encoded(value: str | bytes) -> bytes:
    """The bytes a client sends: text as UTF-8 (a lone surrogate as the invalid bytes it would be), bytes as
    they are (cp1251, UTF-16, overlong or truncated sequences)."""
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def bind(form_class: type, kwargs: dict, values: dict[str, Any]) -> forms.BaseForm:
    """The form bound as a view binds it: the values travel as a urlencoded body that Django decodes."""
    pairs, files = [], MultiValueDict()
    for name, value in values.items():
        if value is MISSING:
            continue
        items = value if isinstance(value, list) else [value]
        if items and all(isinstance(item, SimpleUploadedFile) for item in items):
            files.setlist(name, items)
        else:
            pairs.extend(f"{name}={quote_from_bytes(encoded(item), safe='')}" for item in items)
    return form_class(QueryDict("&".join(pairs), encoding="utf-8"), files, **kwargs)


# --- the declaration's verdict --------------------------------------------------------------------------


def as_submitted(form: forms.BaseForm, name: str) -> Any:
    """What the field reads back from the decoded body: a list for files and multiple choices, else the last
    value sent, or None when the field was left out."""
    field = form.fields[name]
    if isinstance(field, forms.FileField):
        return form.files.getlist(name)
    if isinstance(field, forms.MultipleChoiceField):
        return form.data.getlist(name)
    return form.data.get(name)


def must_refuse(form: forms.BaseForm, name: str) -> bool:
    """True when the field's own declaration cannot accept what was sent (whatever clean() adds)."""
    field = form.fields[name]
    value = as_submitted(form, name)
    custom_clean = hasattr(form, f"clean_{name}")
    if isinstance(field, forms.FileField):
        if not value:
            return field.required
        if type(field).clean is not forms.FileField.clean or custom_clean:
            return False  # the field checks uploads its own way (count, size); asserted in its app's tests
        upload_ = value[-1]
        if upload_.size == 0:
            return True
        return isinstance(field, forms.ImageField) and not upload_.really_image
    if isinstance(field, forms.BooleanField):
        falsy = value is None or value == "" or value.lower() == "false"
        return field.required and falsy
    if isinstance(field, forms.MultipleChoiceField):
        if not value:
            return field.required
        if isinstance(field, forms.ModelMultipleChoiceField):
            return any(re.search(r"[<>\x00]", item) for item in value)
        return any(item not in choice_values(field) for item in value)
    if value is None or value == "":
        return field.required
    text = str(value)
    if isinstance(field, forms.ModelChoiceField):
        return bool(re.search(r"[<>\x00]", text)) or len(text) > 200
    if isinstance(field, forms.ChoiceField):
        return text not in choice_values(field)
    stripped = text.strip()
    if isinstance(field, forms.CharField):
        text = stripped if field.strip else text
        if text == "":
            return field.required
        if "\x00" in text:
            return True
        if field.max_length is not None and len(text) > field.max_length:
            return True
        if field.min_length is not None and len(text) < field.min_length:
            return True
        if isinstance(field, forms.RegexField) and not field.regex.search(text):
            return True
        return isinstance(field, forms.URLField) and text.lower().startswith("javascript:")
    if stripped == "":
        return field.required
    if isinstance(field, forms.DecimalField | forms.FloatField):
        if re.search(r"[A-DF-Za-df-z<>=@\x00]", stripped):
            return True  # nan, inf, infinity and any other word
        if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", stripped):
            number = float(stripped) if isinstance(field, forms.FloatField) else Decimal(stripped)
            return (field.min_value is not None and number < field.min_value) or (
                field.max_value is not None and number > field.max_value
            )
        return False
    if isinstance(field, forms.IntegerField):
        if re.search(r"[A-Za-z<>=@\x00]", stripped):
            return True
        if re.fullmatch(r"[+-]?[0-9]+", stripped):
            number = int(stripped)
            return (field.min_value is not None and number < field.min_value) or (
                field.max_value is not None and number > field.max_value
            )
        return False
    if isinstance(field, forms.DateField):
        return stripped in BAD_DATES or bool(re.search(r"[A-Za-z<>=@\x00]", stripped))
    return False


def assert_fits(form: forms.BaseForm, name: str, field: forms.Field, value: Any) -> None:
    """A cleaned value of a valid form fits its field's declaration."""
    where = f"{type(form).__name__}.{name} = {value!r:.200}"
    if hasattr(form, f"clean_{name}"):
        return  # the form turns the value into its own type (a user, a territory, a list of lines)
    if value is None or value == "" or value == []:
        assert not field.required or isinstance(field, forms.FileField), where
        return
    if isinstance(field, forms.ModelMultipleChoiceField):
        assert all(isinstance(item, field.queryset.model) for item in value), where
    elif isinstance(field, forms.ModelChoiceField):
        assert isinstance(value, field.queryset.model), where
    elif isinstance(field, forms.TypedMultipleChoiceField | forms.TypedChoiceField):
        pass  # coerced to the form's own type
    elif isinstance(field, forms.MultipleChoiceField):
        assert all(str(item) in choice_values(field) for item in value), where
    elif isinstance(field, forms.ChoiceField):
        assert str(value) in choice_values(field), where
    elif isinstance(field, forms.BooleanField):
        assert isinstance(value, bool), where
    elif isinstance(field, forms.DateField):
        assert isinstance(value, date), where
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        assert math.isfinite(value), where
        assert field.min_value is None or value >= field.min_value, where
        assert field.max_value is None or value <= field.max_value, where
    elif isinstance(field, forms.IntegerField):
        assert type(value) is int, where
        assert field.min_value is None or value >= field.min_value, where
        assert field.max_value is None or value <= field.max_value, where
    elif isinstance(field, forms.FileField):
        files = value if isinstance(value, list) else [value]
        assert all("/" not in item.name and item.name not in {".", ".."} for item in files), where
    elif isinstance(field, forms.CharField):
        assert isinstance(value, str) and "\x00" not in value, where
        assert field.max_length is None or len(value) <= field.max_length, where
        assert field.min_length is None or len(value) >= field.min_length, where
        if isinstance(field, forms.RegexField):
            assert field.regex.search(value), where


# --- the tests --------------------------------------------------------------------------------------------


@pytest.fixture
def reference_rows(db: None) -> None:
    """A row for each model a form chooses from, made through the services, so valid choices exist."""
    make_party("AMANAT")
    catalogue = make_catalogue()
    make_session(catalogue.courses["foundation"])
    make_category()
    make_body()


def test_every_form_is_found_and_the_table_names_only_real_forms() -> None:
    assert len(FORMS) >= 72, sorted(FORMS)
    assert set(CONSTRUCTOR_KWARGS) <= set(FORMS), set(CONSTRUCTOR_KWARGS) - set(FORMS)
    assert FORMSETS, "the budget formset of the reports is a formset too"


@pytest.mark.django_db
def test_every_text_field_of_every_form_has_a_length_bound() -> None:
    """An oversized text is refused by the form with a message, not stored or left to the database."""
    unbounded = []
    for name, form_class in FORMS.items():
        for field_name, field in form_class(**CONSTRUCTOR_KWARGS.get(name, {})).fields.items():
            if not isinstance(field, forms.CharField) or field.max_length is not None:
                continue
            if isinstance(field, forms.RegexField) and not any(field.regex.search(c * 10_000) for c in "1a"):
                continue  # the pattern itself bounds the length
            unbounded.append(f"{name}.{field_name}")
    assert unbounded == []


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_form_refuses_hostile_input_without_raising(name: str, reference_rows: None) -> None:
    form_class = FORMS[name]
    kwargs = CONSTRUCTOR_KWARGS.get(name, {})
    try:
        blank = form_class(**kwargs)
    except TypeError as exc:
        pytest.fail(f"{name} cannot be built generically ({exc}): add it to CONSTRUCTOR_KWARGS")

    @given(values=field_values(blank))
    @settings(
        max_examples=EXAMPLES_PER_FORM,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def generated(values: dict[str, Any]) -> None:
        check_bound(name, bind(form_class, kwargs, values))

    generated()
    for values in sweep(blank):
        check_bound(name, bind(form_class, kwargs, values))


def sweep(form: forms.BaseForm) -> list[dict[str, Any]]:
    """Every catalogued hostile value in every field at once (each field's own clean method sees each one),
    then every lying file in every file field."""
    files = [name for name, field in form.fields.items() if isinstance(field, forms.FileField)]
    others = [name for name in form.fields if name not in files]
    cases = [dict.fromkeys(others, value) for value in (*NASTY_TEXT, *NASTY_BYTES)]
    cases.append(dict.fromkeys(others, ["1", "<b>", "\x00"]))
    if files:
        cases += [{name: upload(kind) for name in files} for kind in FILES]
    return cases


def check_bound(name: str, form: forms.BaseForm) -> None:
    valid = form.is_valid()
    form.render()  # a view shows the form again with its errors
    for field_name in [field_name for field_name in form.fields if must_refuse(form, field_name)]:
        assert field_name in form.errors, (
            f"{name}.{field_name} accepted {as_submitted(form, field_name)!r:.200}; errors {form.errors}"
        )
    if valid:
        assert not form.errors
        for field_name, field in form.fields.items():
            if field_name in form.cleaned_data:
                assert_fits(form, field_name, field, form.cleaned_data[field_name])
    else:
        assert form.errors


MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


@pytest.mark.parametrize("name", sorted(FORMSETS))
def test_a_formset_refuses_a_tampered_management_form_without_raising(
    name: str, reference_rows: None
) -> None:
    formset_class = FORMSETS[name]
    count = st.one_of(
        st.sampled_from(["", "-1", "abc", "1e9", "99999999999999999999", "\x00", "１", "2.5"]),
        st.integers(min_value=0, max_value=100).map(str),
    )

    @given(management=st.fixed_dictionaries({key: count for key in MANAGEMENT}), rows=st.data())
    @settings(
        max_examples=EXAMPLES_PER_FORM,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(management: dict[str, str], rows: st.DataObject) -> None:
        prefix = formset_class.get_default_prefix()
        data = QueryDict(mutable=True)
        for key, value in management.items():
            data[f"{prefix}-{key}"] = value
        sample = formset_class.form()
        for index in range(3):
            values = rows.draw(field_values(sample))
            for field_name, value in values.items():
                if value is not MISSING and not isinstance(value, SimpleUploadedFile):
                    items = value if isinstance(value, list) else [value]
                    data.setlist(f"{prefix}-{index}-{field_name}", [str(item) for item in items])
        formset = formset_class(data)
        valid = formset.is_valid()
        formset.render()
        assert len(formset.forms) <= formset.absolute_max
        if any(re.search(r"^$|[A-Za-z.\x00]", management[key]) for key in ("TOTAL_FORMS", "INITIAL_FORMS")):
            assert not valid and formset.non_form_errors()

    check()
