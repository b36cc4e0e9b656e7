"""Regression found by tests/security/test_bad_input_forms.py: report numbers typed as "²" passed
str.isdigit() and then made int() raise, a 500 on the filing page."""

import pytest

from esep.recall.forms import FilingForm


@pytest.mark.parametrize("typed", ["²", "1, ³", "١٢", "9" * 40, "12 34"])
def test_report_numbers_other_than_plain_digits_are_a_field_error(typed: str) -> None:
    form = FilingForm(
        {"grounds": "Обещания не выполнены.", "reports": typed}, promises=[], appeals=[], reports_enabled=True
    )
    assert not form.is_valid()
    assert form.errors["reports"] == ["Write report numbers as digits, separated by commas."]


def test_plain_report_numbers_are_read_as_numbers() -> None:
    data = {"grounds": "Обещания не выполнены.", "reports": "12, 7"}
    form = FilingForm(data, promises=[], appeals=[], reports_enabled=True)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["reports"] == [12, 7]
