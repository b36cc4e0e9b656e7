from django import forms
from django.utils.translation import gettext_lazy as _

from esep.powers.analysis import (
    DEFAULT_FORWARD_SHARE,
    DEFAULT_MIN_VOLUME_SHARE,
    DEFAULT_MONTHS,
    DEFAULT_THRESHOLD,
)
from esep.powers.models import PairVerdict, PowerLevel, PowerStatus, ProposalKind, Sector, Wording

TEXT_MAX_LENGTH = 4000


class PowerForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        max_length=64,
        regex=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$",
        error_messages={
            "invalid": _("A power code is lower-case words joined by dots, such as roads.maintenance.")
        },
        help_text=_("sector.what, for example roads.maintenance; it cannot be changed later."),
    )
    level = forms.ChoiceField(label=_("Level"), choices=PowerLevel.choices)
    body = forms.CharField(label=_("Body (for the level 'other')"), max_length=200, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    status = forms.ChoiceField(label=_("Status"), choices=PowerStatus.choices, initial=PowerStatus.IN_FORCE)
    text_kk = forms.CharField(
        label=_("Text in Kazakh"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_LENGTH
    )
    text_ru = forms.CharField(
        label=_("Text in Russian"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_LENGTH
    )
    text_en = forms.CharField(
        label=_("Text in English"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_LENGTH,
        required=False,
    )
    act = forms.CharField(label=_("Legal act"), max_length=300)
    article = forms.CharField(label=_("Article"), max_length=16, required=False)
    item = forms.CharField(label=_("Item"), max_length=16, required=False)
    basis_checked = forms.BooleanField(
        label=_("The article and item were checked against the published text of the act"), required=False
    )
    wording = forms.ChoiceField(label=_("Wording"), choices=Wording.choices, initial=Wording.PARAPHRASE)


class PowerEditForm(PowerForm):
    """The same fields without the code, which is the power's identity."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["code"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PowerStatus.choices)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Catalogue file (.csv or .xlsx)"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("The file must be .csv or .xlsx."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class AnalysisForm(forms.Form):
    threshold = forms.FloatField(
        label=_("Similarity threshold"),
        min_value=0.05,
        max_value=1,
        initial=DEFAULT_THRESHOLD,
        required=False,
    )
    forward_share = forms.FloatField(
        label=_("Forwarded share at least"),
        min_value=0,
        max_value=1,
        initial=DEFAULT_FORWARD_SHARE,
        required=False,
    )
    min_volume_share = forms.FloatField(
        label=_("Share of all requests at least"),
        min_value=0,
        max_value=1,
        initial=DEFAULT_MIN_VOLUME_SHARE,
        required=False,
    )
    months = forms.IntegerField(
        label=_("Months"), min_value=1, max_value=120, initial=DEFAULT_MONTHS, required=False
    )


class ReviewForm(forms.Form):
    first = forms.CharField(max_length=64)
    second = forms.CharField(max_length=64)
    verdict = forms.ChoiceField(choices=PairVerdict.choices)
    comment = forms.CharField(label=_("Comment"), max_length=TEXT_MAX_LENGTH, required=False)


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Proposal"), choices=ProposalKind.choices)
    power_code = forms.ChoiceField(label=_("Power"), required=False)
    target_level = forms.ChoiceField(
        label=_("To level (for a transfer or an addition)"),
        choices=[("", "—"), *PowerLevel.choices],
        required=False,
    )
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX_LENGTH
    )

    def __init__(
        self,
        *args: object,
        power_codes: tuple[str, ...] = (),
        kinds: list[str] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["power_code"].choices = [("", "—"), *((code, code) for code in power_codes)]
        if kinds is not None:
            self.fields["kind"].choices = [choice for choice in ProposalKind.choices if choice[0] in kinds]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_LENGTH
    )


class SectorOwnerForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    level = forms.ChoiceField(
        label=_("Owned by"),
        choices=[
            ("", _("the rural akim (not listed)")),
            *[c for c in PowerLevel.choices if c[0] != PowerLevel.RURAL],
        ],
        required=False,
    )
    body = forms.CharField(label=_("Body"), max_length=200, required=False)
    note = forms.CharField(label=_("Why"), max_length=TEXT_MAX_LENGTH, required=False)
