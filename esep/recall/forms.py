"""Forms of the recall pages: they check the shape of the input; the services check the rules."""

import re
from datetime import date, datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from esep.core.widgets import DateInput
from esep.recall import rules
from esep.recall.models import RejectionReason
from esep.recall.services import PaperLine
from esep.recall.states import State

DATE_INPUT = DateInput()


class NoEchoTextInput(forms.TextInput):
    """An IIN typed in is never written back into the page, not even when the form is shown again."""

    def format_value(self, value: object) -> None:
        return None


class NoEchoTextarea(forms.Textarea):
    def format_value(self, value: object) -> None:
        return None


class ListFilterForm(forms.Form):
    area = forms.RegexField(
        label=gettext_lazy("KATO code of a region, district or unit"),
        regex=r"^[0-9]{9}$",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 9}),
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("any")), ("active", gettext_lazy("under way")), *State.choices],
    )


class FilingForm(forms.Form):
    grounds = forms.CharField(
        label=gettext_lazy("Grounds (at most 200 words)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=4000,
        help_text=gettext_lazy("Say which promises were broken and which duties were not done."),
    )
    promises = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Promises of the program not kept"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    appeals = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Requests answered late or not at all"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    reports = forms.CharField(
        label=gettext_lazy("Numbers of accountability reports (comma-separated)"),
        required=False,
        max_length=200,
    )

    def __init__(self, *args: object, promises: list, appeals: list, reports_enabled: bool, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["promises"].choices = [
            (p.pk, f"{p.local_id}. {p.title} — {p.get_status_display()}, {p.deadline:%d.%m.%Y}")
            for p in promises
        ]
        self.fields["appeals"].choices = [
            (
                a.pk,
                _("%(number)s, %(category)s, due %(due)s")
                % {"number": a.number, "category": a.category.name, "due": a.due_date.strftime("%d.%m.%Y")},
            )
            for a in appeals
        ]
        if not reports_enabled:
            del self.fields["reports"]

    def clean_grounds(self) -> str:
        grounds = self.cleaned_data["grounds"].strip()
        words = rules.word_count(grounds)
        if words > rules.GROUNDS_MAX_WORDS:
            raise forms.ValidationError(
                _("The grounds may have at most %(limit)d words; these have %(count)d.")
                % {"limit": rules.GROUNDS_MAX_WORDS, "count": words}
            )
        return grounds

    def clean_reports(self) -> list[int]:
        raw = self.cleaned_data.get("reports", "")
        numbers = [part.strip() for part in raw.split(",") if part.strip()]
        # ASCII digits only: str.isdigit() also admits "²", which int() refuses.
        if any(not re.fullmatch(r"[0-9]{1,9}", part) for part in numbers):
            raise forms.ValidationError(_("Write report numbers as digits, separated by commas."))
        return [int(part) for part in numbers]

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("promises") or data.get("appeals") or data.get("reports")):
            raise forms.ValidationError(_("Cite at least one item of evidence."))
        return data


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your answer to the grounds (at most 300 words)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=6000,
    )


class SignForm(forms.Form):
    iin = forms.CharField(
        label=gettext_lazy("Your IIN"),
        max_length=12,
        min_length=12,
        widget=NoEchoTextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{12}", "maxlength": 12}
        ),
        help_text=gettext_lazy("12 digits. It is checked against the population register and never shown."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I sign for the recall of this akim, in my own name"), required=True
    )


class UnsignForm(forms.Form):
    iin = forms.CharField(
        label=gettext_lazy("Your IIN (only if your account has none yet)"),
        max_length=12,
        required=False,
        widget=NoEchoTextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 12}),
    )


class RegisterForm(forms.Form):
    signing_opens_on = forms.DateField(
        label=gettext_lazy("Signing opens on (empty: today)"), required=False, widget=DATE_INPUT
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for refusal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PaperSheetForm(forms.Form):
    number = forms.IntegerField(label=gettext_lazy("Sheet number"), min_value=1, max_value=1_000_000)
    lines = forms.CharField(
        label=gettext_lazy("Lines of the sheet: IIN and signing date, one line each"),
        widget=NoEchoTextarea(attrs={"rows": 12, "inputmode": "numeric", "autocomplete": "off"}),
        max_length=20_000,
        help_text=gettext_lazy(
            "For example: 850412401234 2026-03-05 (or 05.03.2026). An empty line is skipped."
        ),
    )

    def clean_lines(self) -> list[PaperLine]:
        try:
            return parse_sheet_lines(self.cleaned_data["lines"])
        except SheetLinesError as exc:
            raise forms.ValidationError(
                [_("line %(line)d: %(message)s") % {"line": n, "message": m} for n, m in exc.errors]
            ) from exc


class InPersonWithdrawalForm(forms.Form):
    iin = forms.CharField(
        label=gettext_lazy("IIN of the signer who withdraws (written statement)"),
        max_length=12,
        widget=NoEchoTextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 12}),
    )


class VerifyForm(forms.Form):
    action = forms.ChoiceField(choices=[("reject", "reject"), ("accept", "accept")])
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"), choices=[("", "—"), *RejectionReason.choices], required=False
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "reject" and not data.get("reason"):
            raise forms.ValidationError(_("Choose the reason for rejecting the signature."))
        return data


class VerifyFilterForm(forms.Form):
    verification = forms.ChoiceField(
        required=False,
        choices=[
            ("", gettext_lazy("all")),
            ("pending", gettext_lazy("not yet verified")),
            ("valid", gettext_lazy("valid")),
            ("rejected", gettext_lazy("rejected")),
        ],
    )


class VoteScheduleForm(forms.Form):
    voting_date = forms.DateField(label=gettext_lazy("Voting day"), widget=DATE_INPUT)


class VoteResultForm(forms.Form):
    voters_registered = forms.IntegerField(label=gettext_lazy("Voters on the lists"), min_value=0)
    ballots_cast = forms.IntegerField(label=gettext_lazy("Ballots cast"), min_value=0)
    invalid_ballots = forms.IntegerField(label=gettext_lazy("Invalid ballots"), min_value=0, initial=0)
    votes_for_recall = forms.IntegerField(label=gettext_lazy("Ballots for the recall"), min_value=0)


class PartyWithdrawalForm(forms.Form):
    decision_number = forms.CharField(label=gettext_lazy("Number of the decision"), max_length=64)
    decision_date = forms.DateField(label=gettext_lazy("Date of the decision"), widget=DATE_INPUT)
    grounds = forms.CharField(
        label=gettext_lazy("Grounds"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000
    )
    document = forms.FileField(
        label=gettext_lazy("The decision (PDF, at most 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class WithdrawalDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("register", "register"), ("refuse", "refuse")])
    reason = forms.CharField(label=gettext_lazy("Reason for refusal"), max_length=2000, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "refuse" and not (data.get("reason") or "").strip():
            raise forms.ValidationError(_("Give the reason for refusing registration."))
        return data


class ThresholdTableForm(forms.Form):
    effective_from = forms.DateField(label=gettext_lazy("In force from"), widget=DATE_INPUT)
    bands = forms.CharField(
        label=gettext_lazy("Bands: MIN-MAX: signatures or share, one a line"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=5000,
        help_text=gettext_lazy(
            "For example 0-499: 40, then 500-1999: 8%, then 2000-: 6.5%. Empty: the flat share applies."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("What it changes and why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean_bands(self) -> list[rules.Band]:
        try:
            return rules.parse_bands(self.cleaned_data.get("bands", ""))
        except rules.BandsError as exc:
            raise forms.ValidationError(
                [_("line %(line)d: %(message)s") % {"line": n, "message": m} for n, m in exc.errors]
            ) from exc


# --- The paper sheet's lines ---------------------------------------------------------------------------


class SheetLinesError(ValueError):
    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(f"{line}: {message}" for line, message in errors))
        self.errors = errors


_SEPARATORS = re.compile(r"[\s,;]+")


def _parse_day(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar day, not a moment)
        except ValueError:
            continue
    return None


def parse_sheet_lines(text: str) -> list[PaperLine]:
    """The lines of a paper sheet as typed: `IIN DATE` on each line (separated by spaces, commas or
    semicolons; dates as 2026-03-05 or 05.03.2026). A line's number is its position; blank lines are
    skipped. The IIN itself is checked by the service, which records an invalid one as that line's outcome."""
    result: list[PaperLine] = []
    errors: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = [part for part in _SEPARATORS.split(raw.strip()) if part]
        if not parts:
            continue
        if len(parts) != 2:
            errors.append((number, _("write the IIN and the signing date, e.g. 850412401234 2026-03-05")))
            continue
        iin, day_text = parts
        if len(iin) > 20:
            errors.append((number, _("the IIN is too long")))
            continue
        day = _parse_day(day_text)
        if day is None:
            errors.append((number, _("the date must be written as 2026-03-05 or 05.03.2026")))
            continue
        result.append(PaperLine(line=number, iin=iin, signed_on=day))
    if errors:
        raise SheetLinesError(errors)
    if not result:
        raise SheetLinesError([(1, _("the sheet has no lines"))])
    return result
