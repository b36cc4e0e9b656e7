"""Form widgets shared by the apps."""

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (YYYY-MM-DD) whatever the page's language: browsers
    accept nothing else in <input type="date"> and show an empty field for "20.03.2026", which Django's
    localised default (DATE_INPUT_FORMATS[0] of Russian and Kazakh) would write."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
