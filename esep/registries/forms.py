from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from esep.registries.models import Register
from esep.registries.purposes import PURPOSES


class UnechoedInput(forms.TextInput):
    """A text input that never renders the submitted value back: the IIN is not echoed into the page."""

    def format_value(self, value: object) -> None:
        return None


class LookupForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("What do you need to know?"),
        # Lazy, so each page shows them in its own language, not the one active when the module was imported.
        choices=[
            (p.code, format_lazy("{}: {}", Register(p.register).label, p.label)) for p in PURPOSES.values()
        ],
    )
    iin = forms.CharField(
        label=_("IIN of the person"),
        max_length=12,
        required=False,
        widget=UnechoedInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    cadastral_number = forms.CharField(label=_("Cadastral number of the plot"), max_length=40, required=False)
