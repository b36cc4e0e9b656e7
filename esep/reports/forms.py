"""Forms of the report pages: they check the shape of the input; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from esep.core.uploads import MAX_PDF_BYTES
from esep.core.widgets import DateInput
from esep.programs.models import BudgetSource, PromiseStatus
from esep.reports.models import MAX_EVIDENCE_PER_UPDATE, ExpenseItem, Verdict
from esep.reports.services import BudgetLineInput

MAX_AMOUNT = 10**13  # ten trillion tenge: more than any rural budget, less than the column holds
EMPTY_BUDGET_ROWS = 3


class ReportDetailsForm(forms.Form):
    meeting_on = forms.DateField(label=_("Date of the reporting meeting"), required=False, widget=DateInput)
    meeting_place = forms.CharField(label=_("Place of the meeting"), max_length=300, required=False)
    broadcast_url = forms.URLField(
        label=_("Online broadcast link"), max_length=500, required=False, assume_scheme="https"
    )
    attendance = forms.IntegerField(
        label=_("Residents present"), min_value=0, max_value=1_000_000, required=False
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=8000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


def budget_item_choices() -> list:
    return [
        ("", "—"),
        (_("Revenues"), [(f"revenue:{value}", label) for value, label in BudgetSource.choices]),
        (_("Expenses"), [(f"expense:{value}", label) for value, label in ExpenseItem.choices]),
    ]


class BudgetLineForm(forms.Form):
    line = forms.ChoiceField(label=_("Item"), choices=budget_item_choices, required=False)
    planned_kzt = forms.IntegerField(
        label=_("Planned, tenge"), min_value=0, max_value=MAX_AMOUNT, required=False
    )
    actual_kzt = forms.IntegerField(
        label=_("Executed, tenge"), min_value=0, max_value=MAX_AMOUNT, required=False
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("line") and (data.get("planned_kzt") is None or data.get("actual_kzt") is None):
            raise forms.ValidationError(_("Give both amounts of the line, planned and executed."))
        if not data.get("line") and (
            data.get("planned_kzt") is not None or data.get("actual_kzt") is not None
        ):
            raise forms.ValidationError(_("Choose the item of the line."))
        return data

    def as_input(self) -> BudgetLineInput | None:
        data = self.cleaned_data
        if not data.get("line"):
            return None
        kind, _sep, item = data["line"].partition(":")
        return BudgetLineInput(
            kind=kind, item=item, planned_kzt=data["planned_kzt"], actual_kzt=data["actual_kzt"]
        )


BudgetFormSet = forms.formset_factory(BudgetLineForm, extra=0, max_num=40, absolute_max=40, validate_max=True)


def budget_initial(lines: list) -> list[dict]:
    rows = [
        {"line": f"{line.kind}:{line.item}", "planned_kzt": line.planned_kzt, "actual_kzt": line.actual_kzt}
        for line in lines
    ]
    return rows + [{} for _n in range(EMPTY_BUDGET_ROWS)]


STATUS_CHOICES = [("", "—")] + [
    (value, label) for value, label in PromiseStatus.choices if value != PromiseStatus.NOT_RATED
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: object, initial: object = None) -> list:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_EVIDENCE_PER_UPDATE:
            raise forms.ValidationError(
                _("At most %(max)d files per promise update.") % {"max": MAX_EVIDENCE_PER_UPDATE}
            )
        for upload in files:
            if upload.size > MAX_PDF_BYTES:
                raise forms.ValidationError(_("%(name)s is larger than 10 MB.") % {"name": upload.name})
        return list(files)


class UpdateForm(forms.Form):
    no_change = forms.BooleanField(label=_("No change since the last report (say why below)"), required=False)
    status = forms.ChoiceField(label=_("New status"), choices=STATUS_CHOICES, required=False)
    progress = forms.IntegerField(label=_("Progress, %"), min_value=0, max_value=100, required=False)
    spent_kzt = forms.IntegerField(
        label=_("Spent so far, tenge"), min_value=0, max_value=MAX_AMOUNT, required=False
    )
    narrative = forms.CharField(
        label=_("What happened (or why nothing changed)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = forms.CharField(
        label=_("Reason (for broken or dropped)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    files = EvidenceField(
        label=_("Evidence: photos (JPEG, PNG, WebP, 5 MB) or PDF (10 MB), up to 5"), required=False
    )
    caption = forms.CharField(label=_("Caption of the files"), max_length=200, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("no_change"):
            if not data.get("status"):
                self.add_error("status", _("Choose the new status, or tick no change."))
            if data.get("progress") is None:
                self.add_error("progress", _("Give the progress from 0 to 100."))
        return data


class ErratumForm(forms.Form):
    text = forms.CharField(
        label=_("Correction"), min_length=10, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Your rating"), choices=[(n, str(n)) for n in range(1, 6)], coerce=int
    )


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(choices=Verdict.choices)


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question to the akim"),
        min_length=5,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"), min_length=2, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding"), min_length=3, max_length=300)


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(label=_("New date"), widget=DateInput)
    reason = forms.CharField(
        label=_("Reason"), min_length=10, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("approve")), ("refuse", _("refuse"))])
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)
