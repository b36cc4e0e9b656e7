"""Dates and numbers are written the way each language writes them (Django ships no Kazakh formats: ours)."""

from datetime import date

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "long_date", "short_date", "number"),
    [
        ("kk", "2026 жылғы 20 наурыз", "20.03.2026", f"1{NBSP}234{NBSP}567,5"),
        ("ru", "20 марта 2026 г.", "20.03.2026", f"1{NBSP}234{NBSP}567,5"),
        ("en", "March 20, 2026", "03/20/2026", "1,234,567.5"),
    ],
)
def test_dates_and_numbers_per_language(language: str, long_date: str, short_date: str, number: str) -> None:
    with translation.override(language):
        assert formats.date_format(date(2026, 3, 20)) == long_date
        assert formats.date_format(date(2026, 3, 20), "SHORT_DATE_FORMAT") == short_date
        assert formats.number_format(1234567.5, decimal_pos=1, use_l10n=True, force_grouping=True) == number


def test_every_kazakh_month_is_lowercase_inside_a_date() -> None:
    with translation.override("kk"):
        months = [formats.date_format(date(2026, month, 1)).split()[-1] for month in range(1, 13)]
    assert months[0] == "қаңтар" and months[11] == "желтоқсан"
    assert all(month == month.lower() for month in months), months


def test_kazakh_forms_read_day_month_year() -> None:
    field = forms.DateField()
    with translation.override("kk"):
        assert field.clean("20.03.2026") == date(2026, 3, 20)
        assert field.clean("2026-03-20") == date(2026, 3, 20)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "count"), [("kk", f"2{NBSP}321"), ("ru", f"2{NBSP}321"), ("en", "2,321")]
)
def test_the_country_page_groups_digits_per_language(client: Client, language: str, count: str) -> None:
    response = client.get(reverse("territory:country"), HTTP_ACCEPT_LANGUAGE=language)
    assert f'data-testid="unit-count">{count}<' in response.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_date_pickers_carry_iso_dates_in_every_language(language: str) -> None:
    # A browser shows an empty <input type="date"> for "20.03.2026": the value must stay ISO.
    from esep.appeals.forms import ExtendForm
    from esep.core.widgets import DateInput
    from esep.programs.forms import PromiseForm

    with translation.override(language):
        assert 'value="2026-03-20"' in DateInput().render("on", date(2026, 3, 20))
        extend = ExtendForm(initial={"new_deadline": date(2026, 3, 20)})
        assert 'type="date"' in str(extend["new_deadline"]) and 'value="2026-03-20"' in str(
            extend["new_deadline"]
        )
        promise = PromiseForm(initial={"deadline": date(2026, 3, 20)}, powers=[])
        assert 'value="2026-03-20"' in str(promise["deadline"])
