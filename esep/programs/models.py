"""The context of an economic block: the government's rule sets, regional development plans, local budgets.

Programs, promises and their funding lines come in the second half of issue #4; the checker (checker.py)
already works on their JSON form, and `FundingSource` names the sources both use.
"""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from esep.powers.models import Sector
from esep.programs.checker import MAX_YEAR, MIN_YEAR


class FundingSource(models.TextChoices):
    LOCAL_BUDGET = "local_budget", _("budget of the rural unit")
    DISTRICT_BUDGET = "district_budget", _("district budget")
    DEVELOPMENT_PLAN = "development_plan", _("regional development plan")
    REPUBLICAN_PROGRAM = "republican_program", _("republican program")
    SPONSOR = "sponsor", _("sponsor")


class BudgetSource(models.TextChoices):
    """Revenues of the rural self-government budget (Budget Code 2025, art. 27)."""

    INCOME_TAX = "income_tax", _("individual income tax")
    PROPERTY_TAX = "property_tax", _("personal property tax")
    LAND_TAX = "land_tax", _("land tax")
    VEHICLE_TAX = "vehicle_tax", _("vehicle tax")
    LAND_USE_FEES = "land_use_fees", _("land-use fees")
    OUTDOOR_ADVERTISING = "outdoor_advertising", _("outdoor advertising fees")
    FINES = "fines", _("fines imposed by the akim")
    VOLUNTARY_CONTRIBUTIONS = "voluntary_contributions", _("voluntary contributions")
    COMMUNAL_PROPERTY = "communal_property", _("income from communal property")
    LAND_SALES = "land_sales", _("land sales")
    DISTRICT_TRANSFERS = "district_transfers", _("transfers from the district budget")


# --- Rule sets ------------------------------------------------------------------------------------------

# name -> (default, minimum, maximum, kind). A missing parameter takes its default, except the required share.
RULE_PARAMETERS: dict[str, tuple[Any, float, float, type]] = {
    "max_local_budget_share": (None, 0, 1, float),
    "report_period_months": (6, 1, 24, int),
    "overdue_to_broken_days": (90, 0, 3650, int),
}


def rule_parameters_with_defaults(parameters: dict[str, Any]) -> dict[str, Any]:
    defaults = {name: spec[0] for name, spec in RULE_PARAMETERS.items() if spec[0] is not None}
    return {**defaults, **parameters}


def validate_rule_parameters(value: Any) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("The parameters must be an object of name: value."))
    unknown = sorted(set(value) - set(RULE_PARAMETERS))
    if unknown:
        raise ValidationError(_("Unknown parameter %(name)s.") % {"name": unknown[0]})
    if "max_local_budget_share" not in value:
        raise ValidationError(_("The parameter max_local_budget_share is required."))
    for name, number in value.items():
        _default, minimum, maximum, kind = RULE_PARAMETERS[name]
        is_number = isinstance(number, int | float) and not isinstance(number, bool)
        if not is_number or (kind is int and not float(number).is_integer()):
            raise ValidationError(_("The parameter %(name)s must be a number.") % {"name": name})
        if not minimum <= number <= maximum:
            raise ValidationError(
                _("The parameter %(name)s must be between %(min)s and %(max)s.")
                % {"name": name, "min": minimum, "max": maximum}
            )


validate_version = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z._-]*$", _("A version is letters, digits, dots and dashes, such as 2026-1.")
)


class RuleSet(models.Model):
    """The government's requirements for the economic block. Published once, never edited: a change is a new
    version, and every check records the version it used."""

    version = models.CharField(_("version"), max_length=32, unique=True, validators=[validate_version])
    effective_from = models.DateField(_("in force from"))
    parameters = models.JSONField(_("parameters"), validators=[validate_rule_parameters])
    note = models.TextField(_("what it changes and why"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        ordering = ["-effective_from", "-pk"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")

    def __str__(self) -> str:
        return self.version

    @property
    def max_local_budget_share(self) -> float:
        return self.parameters["max_local_budget_share"]

    @property
    def report_period_months(self) -> int:
        return rule_parameters_with_defaults(self.parameters)["report_period_months"]

    @property
    def overdue_to_broken_days(self) -> int:
        return rule_parameters_with_defaults(self.parameters)["overdue_to_broken_days"]


# --- Regional development plans --------------------------------------------------------------------------

_KATO = re.compile(r"^[0-9]{9}$")
_YEAR_KEY = re.compile(r"^[0-9]{4}$")


def validate_kato_list(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("List at least one KATO code."))
    for code in value:
        if not isinstance(code, str) or not _KATO.match(code):
            raise ValidationError(_("%(code)s is not a KATO code of 9 digits.") % {"code": code})
    if len(set(value)) != len(value):
        raise ValidationError(_("A KATO code is listed twice."))


def validate_amounts_by_year(value: Any) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("Amounts must be an object of year: tenge."))
    for year, amount in value.items():
        if not isinstance(year, str) or not _YEAR_KEY.match(year) or not MIN_YEAR <= int(year) <= MAX_YEAR:
            raise ValidationError(_("%(year)s is not a year.") % {"year": year})
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise ValidationError(
                _("The amount for %(year)s must be a whole, non-negative number of tenge.") % {"year": year}
            )


validate_item_code = RegexValidator(
    r"^[A-Z0-9][A-Z0-9._-]*$",
    _("A plan item code is capital letters, digits and dashes, such as AKM-2026-014."),
)
YEAR_VALIDATORS = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


class DevelopmentPlan(models.Model):
    region = models.ForeignKey(
        "territory.Territory",
        on_delete=models.PROTECT,
        related_name="development_plans",
        limit_choices_to={"level": "region"},
        verbose_name=_("region"),
    )
    title = models.CharField(_("title"), max_length=300)
    year_from = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    year_to = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)

    class Meta:
        ordering = ["region__kato", "-year_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year_from", "year_to"], name="plan_unique_per_period"),
            models.CheckConstraint(condition=models.Q(year_from__lte=models.F("year_to")), name="plan_years"),
        ]
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")

    def __str__(self) -> str:
        return f"{self.title} ({self.year_from}-{self.year_to})"

    def clean(self) -> None:
        if self.region_id and self.region.level != "region":
            raise ValidationError({"region": _("A development plan belongs to a region.")})
        if self.year_from and self.year_to and self.year_from > self.year_to:
            raise ValidationError({"year_to": _("The last year cannot come before the first.")})


class PlanItem(models.Model):
    plan = models.ForeignKey(
        DevelopmentPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan")
    )
    code = models.CharField(_("code"), max_length=32, unique=True, validators=[validate_item_code])
    title = models.CharField(_("title"), max_length=500)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    territories = models.JSONField(_("territories (KATO codes)"), validators=[validate_kato_list])
    allocations = models.JSONField(
        _("allocation per year"), default=dict, blank=True, validators=[validate_amounts_by_year]
    )
    committed = models.JSONField(
        _("already committed per year"), default=dict, blank=True, validators=[validate_amounts_by_year]
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        errors = {}
        for name in ("allocations", "committed"):
            outside = [
                year
                for year in (getattr(self, name) or {})
                if self.plan_id and not self.plan.year_from <= int(year) <= self.plan.year_to
            ]
            if outside:
                errors[name] = _("%(year)s is outside the plan's years.") % {"year": outside[0]}
        over = [
            year
            for year, amount in (self.committed or {}).items()
            if isinstance(amount, int) and amount > (self.allocations or {}).get(year, 0)
        ]
        if over:
            errors["committed"] = _("In %(year)s more is committed than allocated.") % {"year": over[0]}
        if errors:
            raise ValidationError(errors)

    def available(self, year: int) -> int:
        return self.allocations.get(str(year), 0) - self.committed.get(str(year), 0)


# --- Local budgets ---------------------------------------------------------------------------------------


class LocalBudget(models.Model):
    """One line of a rural unit's revenue forecast: a year and a source of the Budget Code."""

    unit = models.ForeignKey(
        "territory.Territory",
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("rural unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    source = models.CharField(_("source"), max_length=32, choices=BudgetSource.choices)
    amount_kzt = models.PositiveBigIntegerField(_("amount, tenge"))

    class Meta:
        ordering = ["unit__kato", "year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "source"], name="local_budget_unique_line"),
        ]
        verbose_name = _("local budget line")
        verbose_name_plural = _("local budget lines")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.source}"

    def clean(self) -> None:
        if self.unit_id and not (self.unit.level == "unit" and self.unit.has_elected_akim):
            raise ValidationError({"unit": _("A local budget belongs to a rural unit with an elected akim.")})
