from django import forms
from django.utils.translation import gettext_lazy as _

from esep.programs.models import RULE_PARAMETERS, validate_version


class RuleSetForm(forms.Form):
    version = forms.CharField(label=_("Version"), max_length=32, validators=[validate_version])
    effective_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
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

    def parameters(self) -> dict:
        data = self.cleaned_data
        return {
            "max_local_budget_share": float(data["max_local_budget_share"]),
            "report_period_months": data["report_period_months"],
            "overdue_to_broken_days": data["overdue_to_broken_days"],
        }
