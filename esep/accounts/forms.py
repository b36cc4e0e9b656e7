from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from esep.core.models import Role
from esep.territory.models import Territory


class RoleAssignForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    territory = forms.RegexField(
        label=_("Territory (KATO code, empty for the whole country)"),
        regex=r"^[0-9]{9}$",
        required=False,
        error_messages={"invalid": _("A KATO code has 9 digits.")},
    )
    party_code = forms.CharField(label=_("Party (for party officers)"), max_length=32, required=False)

    def clean_username(self) -> object:
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("No user with this name."))
        return user

    def clean_territory(self) -> Territory | None:
        code = self.cleaned_data["territory"]
        if not code:
            return None
        territory = Territory.objects.filter(kato=code).first()
        if territory is None:
            raise forms.ValidationError(_("No territory with this KATO code."))
        return territory


class ResidentRegisterForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    username = forms.RegexField(
        label=_("User name"),
        regex=r"^[\w.@+-]{3,150}$",
        error_messages={"invalid": _("3 to 150 letters, digits and . @ + - _")},
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=10, max_length=128)
    unit = forms.RegexField(
        label=_("Your rural unit (KATO code)"),
        regex=r"^[0-9]{9}$",
        error_messages={"invalid": _("A KATO code has 9 digits; find your unit with the search box.")},
    )
    iin = forms.CharField(
        label=_("IIN (optional: lets you see who looked at your data and sign petitions)"),
        max_length=20,
        required=False,
    )
    phone = forms.RegexField(label=_("Phone (optional)"), regex=r"^\+?[0-9 ()-]{6,20}$", required=False)

    def clean_unit(self) -> Territory:
        unit = Territory.objects.elected_units().filter(kato=self.cleaned_data["unit"]).first()
        if unit is None:
            raise forms.ValidationError(_("This code is not a rural unit with an elected akim."))
        return unit
