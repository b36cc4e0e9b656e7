"""Forms at the edge: they turn input into typed values or field errors; the services judge the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from esep.core.widgets import DateInput
from esep.elections.models import Education, ElectionKind, EndReason, Nomination, Party
from esep.elections.selectors import SELF_NOMINATED, SUPERIOR_AKIM

IIN_FIELD = {"min_length": 12, "max_length": 12, "strip": True}


class AkimFilterForm(forms.Form):
    party = forms.ChoiceField(label=_("Nominated by"), required=False)
    first_time = forms.TypedChoiceField(
        label=_("First mandate"),
        required=False,
        choices=[("", _("any")), ("yes", _("first mandate")), ("no", _("held a mandate before"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
    )
    no_civil_service = forms.TypedChoiceField(
        label=_("Civil service"),
        required=False,
        choices=[
            ("", _("any")),
            ("yes", _("never in the civil service")),
            ("no", _("served in the civil service")),
        ],
        coerce=lambda value: value == "yes",
        empty_value=None,
    )

    def __init__(self, *args: object, parties: list[Party], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [
            ("", _("any")),
            *[(party.code, party.name) for party in parties],
            (SELF_NOMINATED, _("self-nominated")),
            (SUPERIOR_AKIM, _("nominated by the superior akim")),
        ]


class ElectionCallForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in (ElectionKind.REGULAR, ElectionKind.EARLY, ElectionKind.RECALL)],
    )
    voting_date = forms.DateField(label=_("Voting day"), widget=DateInput)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class NominationForm(forms.Form):
    iin = forms.CharField(
        label=_("Candidate's IIN"),
        **IIN_FIELD,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Full name (for a person not registered yet)"), max_length=200, required=False
    )
    education = forms.ChoiceField(label=_("Education"), choices=Education.choices, initial=Education.HIGHER)
    civil_service_years = forms.IntegerField(
        label=_("Years in the civil service"), min_value=0, max_value=60, initial=0
    )
    nomination = forms.ChoiceField(label=_("Nominated by"), choices=Nomination.choices)
    party = forms.ModelChoiceField(
        label=_("Party"),
        queryset=Party.objects.filter(is_registered=True),
        required=False,
        to_field_name="code",
    )
    signatures = forms.IntegerField(label=_("Signatures (self-nominees)"), min_value=0, required=False)

    def __init__(self, *args: object, party_codes: list[str] | None = None, **kwargs: object) -> None:
        """`party_codes`: a party officer nominates for these parties only (None: the commission, any way)."""
        super().__init__(*args, **kwargs)
        if party_codes is not None:
            self.fields["nomination"].choices = [(Nomination.PARTY, Nomination.PARTY.label)]
            self.fields["party"].queryset = Party.objects.filter(is_registered=True, code__in=party_codes)
            self.fields["party"].required = True

    def clean(self) -> dict:
        data = super().clean()
        if data.get("nomination") == Nomination.PARTY and not data.get("party"):
            self.add_error("party", _("Name the party that nominates the candidate."))
        if data.get("nomination") == Nomination.SELF and data.get("signatures") is None:
            self.add_error("signatures", _("Give the number of signatures submitted."))
        return data


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("register", _("Register")), ("refuse", _("Refuse")), ("withdraw", _("Withdraw"))]
    )
    reason = forms.CharField(label=_("Reason for refusal"), max_length=2000, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "refuse" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for refusing registration."))
        return data


class ResultForm(forms.Form):
    voters_registered = forms.IntegerField(label=_("Voters on the lists"), min_value=0)
    ballots_cast = forms.IntegerField(label=_("Ballots cast"), min_value=0)
    invalid_ballots = forms.IntegerField(label=_("Invalid ballots"), min_value=0, initial=0)

    def __init__(
        self, *args: object, candidacies: list | None = None, recall: bool = False, **kwargs: object
    ):
        super().__init__(*args, **kwargs)
        self.candidacies = candidacies or []
        for candidacy in self.candidacies:
            self.fields[f"votes_{candidacy.pk}"] = forms.IntegerField(
                label=_("Votes for %(name)s") % {"name": candidacy.person.display_name}, min_value=0
            )
        if recall:
            self.fields["votes_for_recall"] = forms.IntegerField(label=_("Votes for the recall"), min_value=0)

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"votes_{c.pk}"] for c in self.candidacies}

    def vote_fields(self) -> list:
        return [self[f"votes_{c.pk}"] for c in self.candidacies]


class MandateEndForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=EndReason.choices)
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PartyForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[A-Za-z][A-Za-z0-9_]{1,31}$",
        error_messages={
            "invalid": _("2 to 32 Latin letters, digits or underscores, starting with a letter.")
        },
    )
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=200)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200)
    is_registered = forms.BooleanField(label=_("Registered"), required=False, initial=True)


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    education = forms.ChoiceField(label=_("Education"), choices=Education.choices)
    civil_service_years = forms.IntegerField(
        label=_("Years in the civil service before"), min_value=0, max_value=60
    )
    biography = forms.CharField(
        label=_("Biography"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    party = forms.ModelChoiceField(label=_("Party membership"), queryset=Party.objects.all(), required=False)
    photo = forms.ImageField(label=_("Photo"), required=False)

    def clean_photo(self) -> object:
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("A photo may be at most 2 MB."))
        return photo
