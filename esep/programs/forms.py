import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from esep.core.widgets import DateInput
from esep.powers.models import Sector
from esep.programs.checker import MAX_YEAR, MIN_YEAR
from esep.programs.drafting import FundingDraft, PromiseDraft
from esep.programs.models import (
    MAX_FUNDING_LINES,
    MAX_PROMISES,
    REASONED_STATUSES,
    RULE_PARAMETERS,
    FundingSource,
    Program,
    Promise,
    PromiseStatus,
    validate_version,
)
from esep.programs.selectors import EditorChoices


class RuleSetForm(forms.Form):
    version = forms.CharField(label=_("Version"), max_length=32, validators=[validate_version])
    effective_from = forms.DateField(label=_("In force from"), widget=DateInput(), input_formats=["%Y-%m-%d"])
    max_local_budget_share = forms.DecimalField(
        label=_("Largest share of a year's local budget forecast that a program may spend (0 to 1)"),
        min_value=0,
        max_value=1,
        max_digits=5,
        decimal_places=4,
    )
    report_period_months = forms.IntegerField(
        label=_("Months between the akim's reports"),
        min_value=RULE_PARAMETERS["report_period_months"][1],
        max_value=RULE_PARAMETERS["report_period_months"][2],
        initial=RULE_PARAMETERS["report_period_months"][0],
    )
    overdue_to_broken_days = forms.IntegerField(
        label=_("Days after which an overdue promise counts as broken"),
        min_value=RULE_PARAMETERS["overdue_to_broken_days"][1],
        max_value=RULE_PARAMETERS["overdue_to_broken_days"][2],
        initial=RULE_PARAMETERS["overdue_to_broken_days"][0],
    )
    note = forms.CharField(
        label=_("What it changes and why"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )

    # The recall parameters of issue 7 (esep.recall reads them from the rule set in force).
    RECALL_LABELS = {
        "recall_min_group": _("Smallest initiative group for a recall"),
        "recall_signing_days": _("Days for collecting recall signatures"),
        "recall_signature_share": _("Share of the unit's voters whose signatures a recall needs (0 to 1)"),
        "recall_min_mandate_age_days": _("Days a mandate must have lasted before a recall may start"),
        "recall_failed_cooldown_days": _("Days after a failed recall before the mandate may face another"),
        "recall_vote_min_turnout": _("Smallest turnout for a recall vote to count (0 to 1)"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        note = self.fields.pop("note")
        for name, label in self.RECALL_LABELS.items():
            default, minimum, maximum, kind = RULE_PARAMETERS[name]
            field_class = forms.IntegerField if kind is int else forms.FloatField
            # Left empty, a recall parameter keeps its default.
            self.fields[name] = field_class(
                label=label, min_value=minimum, max_value=maximum, initial=default, required=False
            )
        self.fields["note"] = note

    def parameters(self) -> dict:
        data = self.cleaned_data
        return {
            "max_local_budget_share": float(data["max_local_budget_share"]),
            "report_period_months": data["report_period_months"],
            "overdue_to_broken_days": data["overdue_to_broken_days"],
            **{name: data[name] for name in self.RECALL_LABELS if data.get(name) is not None},
        }


# --- The program editor: promise rows and funding rows, added with htmx ------------------------------------

ROW_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,15}$")
MAX_TENGE = 10**13


def new_key(prefix: str) -> str:
    return prefix + secrets.token_hex(4)


class TengeField(forms.IntegerField):
    """Whole tenge; spaces between thousands (as the pages print them) are accepted."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        return super().to_python(value)


class PromiseForm(forms.Form):
    title = forms.CharField(label=_("Promise"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    power = forms.ChoiceField(label=_("Power of the rural akim it rests on"), required=False)
    indicator_name = forms.CharField(label=_("Indicator"), required=False, max_length=200)
    indicator_unit = forms.CharField(label=_("Unit"), required=False, max_length=50)
    indicator_baseline = forms.DecimalField(
        label=_("Baseline"), required=False, max_digits=16, decimal_places=2
    )
    indicator_target = forms.DecimalField(label=_("Target"), required=False, max_digits=16, decimal_places=2)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput(), input_formats=["%Y-%m-%d"])
    cost_kzt = TengeField(label=_("Cost, tenge"), min_value=0, max_value=MAX_TENGE)
    remove = forms.BooleanField(label=_("Remove this promise"), required=False)

    def __init__(self, *args: Any, powers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.data.get(self.add_prefix("power")) if self.is_bound else self.initial.get("power")
        choices = [("", _("— choose a power —")), *powers]
        if current and current not in dict(powers):
            # A power the catalogue no longer offers stays visible, so the check can say what is wrong.
            choices.append((current, _("%(code)s (not a rural akim's power in force)") % {"code": current}))
        self.fields["power"].choices = choices


class FundingForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=FundingSource.choices)
    plan_item = forms.ChoiceField(label=_("Plan item"), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    amount_kzt = TengeField(label=_("Amount, tenge"), min_value=1, max_value=MAX_TENGE)
    remove = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(self, *args: Any, plan_items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = (
            self.data.get(self.add_prefix("plan_item")) if self.is_bound else self.initial.get("plan_item")
        )
        choices = [("", _("— for the development plan: choose an item —")), *plan_items]
        if current and current not in dict(plan_items):
            choices.append((current, _("%(code)s (not an item covering this unit)") % {"code": current}))
        self.fields["plan_item"].choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("source") == FundingSource.DEVELOPMENT_PLAN:
            if not data.get("plan_item"):
                self.add_error("plan_item", _("Choose the plan item this money comes from."))
        else:
            # The item select keeps its value when the source changes: only a plan line names an item.
            data["plan_item"] = ""
        return data


@dataclass
class FundingRow:
    key: str
    form: FundingForm


@dataclass
class PromiseRow:
    key: str
    local_id: str
    form: PromiseForm
    lines: list[FundingRow] = field(default_factory=list)

    @property
    def removed(self) -> bool:
        return bool(self.form.is_bound and self.form.data.get(self.form.add_prefix("remove")))


class ProgramEditor:
    """The whole editing form: the summary, then promise rows, each with its funding rows. Rows are named by
    keys listed in hidden inputs, so htmx can add a row anywhere and the server reads them in page order."""

    def __init__(
        self, *, choices: EditorChoices, data: QueryDict | None = None, program: Program | None = None
    ):
        self.choices = choices
        self.data = data
        self.errors: list[str] = []
        self._valid: bool | None = None
        self.summary = forms.CharField(
            label=_("Summary of the program"),
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.rows: list[PromiseRow] = []
        if data is not None:
            self._read(data)
            self.summary_value = data.get("summary", "")
        else:
            self.summary_value = program.summary if program is not None else ""
            for promise in program.promises.all() if program is not None else []:
                self.rows.append(self._saved_row(promise))

    # --- building rows ---

    def promise_form(
        self, key: str, *, data: QueryDict | None = None, initial: dict | None = None
    ) -> PromiseForm:
        return PromiseForm(data, prefix=key, initial=initial, powers=self.choices.powers)

    def funding_form(
        self, promise_key: str, key: str, *, data: QueryDict | None = None, initial: dict | None = None
    ) -> FundingForm:
        return FundingForm(
            data, prefix=f"{promise_key}-{key}", initial=initial, plan_items=self.choices.plan_items
        )

    def blank_row(self, term_end: date | None = None) -> PromiseRow:
        key = new_key("n")
        initial = {"deadline": term_end} if term_end else None
        row = PromiseRow(key=key, local_id="", form=self.promise_form(key, initial=initial))
        row.lines.append(self.blank_line(key))
        return row

    def blank_line(self, promise_key: str) -> FundingRow:
        key = new_key("f")
        return FundingRow(key=key, form=self.funding_form(promise_key, key))

    def _saved_row(self, promise: Promise) -> PromiseRow:
        initial = {
            "title": promise.title,
            "description": promise.description,
            "sector": promise.sector,
            "power": promise.power.code if promise.power_id else "",
            "indicator_name": promise.indicator_name,
            "indicator_unit": promise.indicator_unit,
            "indicator_baseline": promise.indicator_baseline,
            "indicator_target": promise.indicator_target,
            "deadline": promise.deadline,
            "cost_kzt": promise.cost_kzt,
        }
        row = PromiseRow(
            key=promise.local_id,
            local_id=promise.local_id,
            form=self.promise_form(promise.local_id, initial=initial),
        )
        for index, line in enumerate(promise.funding_lines.all()):
            key = f"f{index}"
            row.lines.append(
                FundingRow(
                    key=key,
                    form=self.funding_form(
                        promise.local_id,
                        key,
                        initial={
                            "source": line.source,
                            "plan_item": line.plan_item,
                            "year": line.year,
                            "amount_kzt": line.amount_kzt,
                        },
                    ),
                )
            )
        return row

    def _read(self, data: QueryDict) -> None:
        keys = data.getlist("promise")
        if len(keys) > MAX_PROMISES:
            self.errors.append(_("A program has at most %(count)d promises.") % {"count": MAX_PROMISES})
            keys = keys[:MAX_PROMISES]
        seen: set[str] = set()
        for key in keys:
            if not ROW_KEY.match(key) or key in seen:
                self.errors.append(_("The form is damaged: reload the page."))
                continue
            seen.add(key)
            row = PromiseRow(
                key=key,
                local_id=key if re.fullmatch(r"P[0-9]+", key) else "",
                form=self.promise_form(key, data=data),
            )
            line_keys = data.getlist(f"{key}-line")
            if len(line_keys) > MAX_FUNDING_LINES:
                self.errors.append(
                    _("A promise has at most %(count)d funding lines.") % {"count": MAX_FUNDING_LINES}
                )
                line_keys = line_keys[:MAX_FUNDING_LINES]
            for line_key in dict.fromkeys(line_keys):
                if ROW_KEY.match(line_key):
                    row.lines.append(
                        FundingRow(key=line_key, form=self.funding_form(key, line_key, data=data))
                    )
            self.rows.append(row)

    # --- reading ---

    def is_valid(self) -> bool:
        if self._valid is None:
            self._valid = self._validate()
        return self._valid

    def _validate(self) -> bool:
        valid = not self.errors
        for row in self.rows:
            if row.removed:
                continue
            valid = row.form.is_valid() and valid
            for line in row.lines:
                if line.form.is_bound and line.form.data.get(line.form.add_prefix("remove")):
                    continue
                valid = line.form.is_valid() and valid
        if len(self.summary_value) > 4000:
            self.errors.append(_("The summary is at most 4000 characters."))
            valid = False
        return valid

    def drafts(self) -> list[PromiseDraft]:
        """The promises as typed (call after `is_valid()` returned True)."""
        drafts = []
        for row in self.rows:
            if row.removed:
                continue
            data = row.form.cleaned_data
            funding = []
            for line in row.lines:
                if not hasattr(line.form, "cleaned_data") or line.form.cleaned_data.get("remove"):
                    continue
                values = line.form.cleaned_data
                funding.append(
                    FundingDraft(
                        source=values["source"],
                        year=values["year"],
                        amount_kzt=values["amount_kzt"],
                        plan_item=values["plan_item"],
                    )
                )
            drafts.append(
                PromiseDraft(
                    local_id=row.local_id,
                    title=data["title"],
                    description=data["description"],
                    sector=data["sector"],
                    power_code=data["power"],
                    indicator_name=data["indicator_name"],
                    indicator_unit=data["indicator_unit"],
                    indicator_baseline=data["indicator_baseline"],
                    indicator_target=data["indicator_target"],
                    deadline=data["deadline"],
                    cost_kzt=data["cost_kzt"],
                    funding=tuple(funding),
                )
            )
        return drafts

    def problems(self) -> list[str]:
        """Every field error, named by its promise and line, for the check panel."""
        problems = list(self.errors)
        for index, row in enumerate(self.rows, 1):
            if row.removed:
                continue
            name = row.local_id or _("new promise %(number)d") % {"number": index}
            for field_name, messages in row.form.errors.items():
                label = row.form.fields[field_name].label if field_name in row.form.fields else ""
                problems.append(f"{name}, {label}: {' '.join(messages)}")
            for number, line in enumerate(row.lines, 1):
                if not line.form.is_bound or line.form.data.get(line.form.add_prefix("remove")):
                    continue
                for field_name, messages in line.form.errors.items():
                    label = line.form.fields[field_name].label if field_name in line.form.fields else ""
                    problems.append(
                        _("%(promise)s, funding line %(number)d, %(field)s: %(messages)s")
                        % {"promise": name, "number": number, "field": label, "messages": " ".join(messages)}
                    )
        return problems

    def add_promise(self, term_end: date | None = None) -> PromiseRow:
        self._valid = None
        row = self.blank_row(term_end)
        self.rows.append(row)
        return row

    def add_funding(self, promise_key: str) -> FundingRow | None:
        self._valid = None
        for row in self.rows:
            if row.key == promise_key:
                line = self.blank_line(promise_key)
                row.lines.append(line)
                return line
        return None


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the program amended?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Residents see this reason beside the changes."),
    )


class PromiseUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (value, label) for value, label in PromiseStatus.choices if value != PromiseStatus.NOT_RATED
        ],
    )
    progress = forms.IntegerField(label=_("Progress, %"), min_value=0, max_value=100)
    spent_kzt = TengeField(label=_("Spent so far, tenge"), required=False, min_value=0, max_value=MAX_TENGE)
    narrative = forms.CharField(
        label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_note = forms.CharField(
        label=_("Evidence (documents, photos, where to see it)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Reason (required when broken or dropped)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") in REASONED_STATUSES and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason the promise is broken or dropped."))
        if data.get("status") == PromiseStatus.KEPT and data.get("progress") not in (None, 100):
            self.add_error("progress", _("A kept promise is done in full (100 percent)."))
        return data
