"""The economic block of akims' programs: the government's rule sets, regional development plans, local
budgets (the checker's context), and the programs themselves with their promises, funding lines, timelines
and the tracker's summary figures. `FundingSource` names the sources both halves use.
"""

import re
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
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
    # Recall (esep.recall): who may start one, how long signing lasts, how many signatures, how a vote passes.
    "recall_min_group": (10, 1, 1000, int),
    "recall_signing_days": (30, 1, 365, int),
    "recall_signature_share": (0.10, 0, 1, float),
    "recall_min_mandate_age_days": (365, 0, 1461, int),
    "recall_failed_cooldown_days": (365, 0, 1461, int),
    "recall_vote_min_turnout": (0.5, 0, 1, float),
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


# --- Programs, promises and their funding lines (second half of issue #4) -------------------------------
#
# A program belongs to a candidacy; once its candidate holds the mandate won in that election, its published
# version is the akim's commitments. A published version is never edited: services refuse, and an amendment
# is a new draft version with a reason. A promise's status, progress and timeline are the tracker's record of
# what happened to it, not the program's text, so they change on published versions too (and only there).

MAX_PROMISES = 40
MAX_FUNDING_LINES = 12


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded by an amendment")


class ProgramQuerySet(models.QuerySet):
    def public(self) -> "ProgramQuerySet":
        """Published versions and the ones they replaced; drafts are their authors' only."""
        return self.exclude(status=ProgramStatus.DRAFT)

    def commitments(self) -> "ProgramQuerySet":
        """Published programs whose candidate holds, today, the mandate won in that election."""
        return self.filter(status=ProgramStatus.PUBLISHED).filter(holds_mandate())


def holds_mandate(prefix: str = "") -> models.Exists:
    """True where the candidacy at `<prefix>candidacy` won the mandate that is current in its unit."""
    from esep.elections.models import Mandate

    return models.Exists(
        Mandate.objects.current().filter(
            election_id=models.OuterRef(f"{prefix}candidacy__election_id"),
            person_id=models.OuterRef(f"{prefix}candidacy__person_id"),
        )
    )


class Program(models.Model):
    candidacy = models.ForeignKey(
        "elections.Candidacy", on_delete=models.PROTECT, related_name="programs", verbose_name=_("candidacy")
    )
    # The candidacy's unit, kept on the row so that lists filter by territory without two joins.
    rural_unit = models.ForeignKey(
        "territory.Territory", on_delete=models.PROTECT, related_name="programs", verbose_name=_("rural unit")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True, max_length=4000)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
        verbose_name=_("amends version"),
    )
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True, max_length=4000)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    rule_set_version = models.CharField(_("rule set used by the last check"), max_length=32, blank=True)
    check_ok = models.BooleanField(_("passed the last check"), null=True, blank=True)
    check_report = models.JSONField(_("report of the last check"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["rural_unit__kato", "candidacy_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "version"], name="programs_one_row_per_version"),
            models.UniqueConstraint(
                fields=["candidacy"], condition=Q(status="draft"), name="programs_one_draft_per_candidacy"
            ),
            models.UniqueConstraint(
                fields=["candidacy"],
                condition=Q(status="published"),
                name="programs_one_published_per_candidacy",
            ),
            models.CheckConstraint(condition=Q(term_start__lte=F("term_end")), name="programs_term_order"),
            models.CheckConstraint(
                condition=Q(version=1, previous__isnull=True)
                | Q(version__gt=1, previous__isnull=False) & ~Q(amendment_reason=""),
                name="programs_an_amendment_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False, check_ok=True),
                name="programs_published_only_when_checked",
            ),
        ]
        indexes = [models.Index(fields=["rural_unit", "status"], name="programs_unit_status_idx")]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return f"{self.rural_unit_id} · {self.candidacy_id} · v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == ProgramStatus.DRAFT

    @property
    def check_errors(self) -> list[dict]:
        return [f for f in (self.check_report or {}).get("findings", []) if f.get("severity") == "error"]

    @property
    def check_warnings(self) -> list[dict]:
        return [f for f in (self.check_report or {}).get("findings", []) if f.get("severity") == "warning"]


class PromiseStatus(models.TextChoices):
    """The seven groups of the tracker, in the order it shows them."""

    NOT_RATED = "not_rated", _("not yet rated")
    IN_PROGRESS = "in_progress", _("in progress")
    STALLED = "stalled", _("stalled")
    PARTIALLY_KEPT = "partially_kept", _("partially kept")
    KEPT = "kept", _("kept")
    BROKEN = "broken", _("broken")
    DROPPED = "dropped", _("dropped")


# Statuses in which a promise is still owed: past its deadline it is overdue.
OPEN_PROMISE_STATUSES = (PromiseStatus.NOT_RATED, PromiseStatus.IN_PROGRESS, PromiseStatus.STALLED)
REASONED_STATUSES = (PromiseStatus.BROKEN, PromiseStatus.DROPPED)

validate_progress = [MinValueValidator(0), MaxValueValidator(100)]


class Promise(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="promises", verbose_name=_("program")
    )
    # P1, P2...: the promise's identity across the versions of one candidacy's program (never reused).
    local_id = models.CharField(_("number"), max_length=16)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    power = models.ForeignKey(
        "powers.Power",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="promises",
        verbose_name=_("power it rests on"),
    )
    indicator_name = models.CharField(_("indicator"), max_length=200, blank=True)
    indicator_unit = models.CharField(_("unit of the indicator"), max_length=50, blank=True)
    indicator_baseline = models.DecimalField(
        _("baseline"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    indicator_target = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"))
    cost_kzt = models.PositiveBigIntegerField(_("cost, tenge"))
    # The tracker's record, carried from version to version by the promise's number.
    status = models.CharField(
        _("status"), max_length=16, choices=PromiseStatus.choices, default=PromiseStatus.NOT_RATED
    )
    status_reason = models.TextField(_("reason"), blank=True, max_length=4000)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0, validators=validate_progress)
    spent_kzt = models.PositiveBigIntegerField(_("spent so far, tenge"), default=0)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    # Set on a published promise that a later amendment left out: the tracker keeps showing it, dropped.
    removed_in = models.ForeignKey(
        Program,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="removed_promises",
        verbose_name=_("removed by the amendment"),
    )

    class Meta:
        ordering = ["program", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "local_id"], name="programs_promise_number_unique"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="programs_progress_at_most_100"),
            models.CheckConstraint(
                condition=~Q(status__in=["broken", "dropped"]) | ~Q(status_reason=""),
                name="programs_broken_or_dropped_has_a_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="programs_promise_status_idx")]
        verbose_name = _("promise")
        verbose_name_plural = _("promises")

    def __str__(self) -> str:
        return f"{self.local_id} {self.title}"

    def clean(self) -> None:
        if self.status in REASONED_STATUSES and not self.status_reason.strip():
            raise ValidationError({"status_reason": _("Give the reason a promise is broken or dropped.")})

    def is_overdue(self, today: date) -> bool:
        return self.status in OPEN_PROMISE_STATUSES and self.deadline < today


def validate_plan_item_reference(value: str) -> None:
    if value:
        validate_item_code(value)


class FundingLine(models.Model):
    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="funding_lines", verbose_name=_("promise")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.CharField(_("source"), max_length=32, choices=FundingSource.choices)
    # The item's code, not a key: the checker tells an unknown item from one meant for another territory.
    plan_item = models.CharField(
        _("plan item"), max_length=32, blank=True, validators=[validate_plan_item_reference]
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    amount_kzt = models.PositiveBigIntegerField(_("amount, tenge"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["promise", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_kzt__gte=1), name="programs_funding_amount_positive"),
            models.CheckConstraint(
                condition=Q(source="development_plan") & ~Q(plan_item="")
                | ~Q(source="development_plan") & Q(plan_item=""),
                name="programs_plan_item_on_plan_lines_only",
            ),
        ]
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")

    def __str__(self) -> str:
        return f"{self.source} {self.year} {self.amount_kzt}"

    def clean(self) -> None:
        if self.source == FundingSource.DEVELOPMENT_PLAN and not self.plan_item:
            raise ValidationError({"plan_item": _("A line from the development plan names its plan item.")})
        if self.source != FundingSource.DEVELOPMENT_PLAN and self.plan_item:
            raise ValidationError(
                {"plan_item": _("Only a line from the development plan names a plan item.")}
            )


class EventKind(models.TextChoices):
    UPDATE = "update", _("update")
    REMOVED = "removed", _("left out by an amendment")
    DEADLINE_MISSED = "deadline_missed", _("deadline missed")
    # Written by the reports app: a report said nothing changed; `esep tick` saw the deadline pass.
    NO_CHANGE = "no_change", _("no change reported")
    OVERDUE = "overdue", _("deadline passed: overdue")


class PromiseEvent(models.Model):
    """One entry of a promise's timeline: what changed, who said so, on what evidence."""

    promise = models.ForeignKey(
        Promise, on_delete=models.PROTECT, related_name="events", verbose_name=_("promise")
    )
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices, default=EventKind.UPDATE)
    old_status = models.CharField(_("status before"), max_length=16, choices=PromiseStatus.choices)
    new_status = models.CharField(_("status after"), max_length=16, choices=PromiseStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress, %"), validators=validate_progress)
    spent_kzt = models.PositiveBigIntegerField(_("spent so far, tenge"), null=True, blank=True)
    narrative = models.TextField(_("what happened"), max_length=4000)
    evidence_note = models.TextField(_("evidence"), blank=True, max_length=4000)
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["promise", "at"], name="programs_event_promise_at_idx")]
        verbose_name = _("promise event")
        verbose_name_plural = _("promise events")

    def __str__(self) -> str:
        return f"{self.promise_id} {self.at:%Y-%m-%d} {self.new_status}"


class PromiseStat(models.Model):
    """The tracker's figures of one unit's sitting akim, recomputed by the services that change them, so that
    region and country pages add up ~2,300 rows instead of scanning every promise."""

    unit = models.OneToOneField(
        "territory.Territory",
        on_delete=models.CASCADE,
        related_name="promise_stat",
        verbose_name=_("rural unit"),
    )
    kato = models.CharField(_("KATO code"), max_length=9, unique=True)
    district = models.CharField(max_length=9, db_index=True)
    region = models.CharField(max_length=9, db_index=True)
    mandate_id = models.PositiveIntegerField(null=True, blank=True)
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    promises = models.PositiveIntegerField(default=0)
    not_rated = models.PositiveIntegerField(default=0)
    in_progress = models.PositiveIntegerField(default=0)
    stalled = models.PositiveIntegerField(default=0)
    partially_kept = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)
    broken = models.PositiveIntegerField(default=0)
    dropped = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    cost_kzt = models.PositiveBigIntegerField(default=0)
    local_budget_kzt = models.PositiveBigIntegerField(default=0)
    district_budget_kzt = models.PositiveBigIntegerField(default=0)
    development_plan_kzt = models.PositiveBigIntegerField(default=0)
    republican_program_kzt = models.PositiveBigIntegerField(default=0)
    sponsor_kzt = models.PositiveBigIntegerField(default=0)
    # The earliest deadline of an open promise not yet passed on `as_of`: once it passes, `overdue` is stale.
    next_deadline = models.DateField(null=True, blank=True)
    as_of = models.DateField()

    class Meta:
        ordering = ["kato"]
        verbose_name = _("promise figures of a unit")
        verbose_name_plural = _("promise figures of units")

    def __str__(self) -> str:
        return self.kato


# --- Deadline extensions (issue #5: the status rules) -----------------------------------------------------


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the district supervisor")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class PromiseExtension(models.Model):
    """The akim asks for more time on a promise, with a reason; the district supervisor approves or refuses.
    While an approved extension's new date has not passed, `esep tick` does not mark the promise broken.

    An extension follows the promise's number across the versions of its program, like its timeline."""

    promise = models.ForeignKey(
        Promise, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("promise")
    )
    new_deadline = models.DateField(_("new date"))
    reason = models.TextField(_("reason"), max_length=4000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    filed_at = models.DateTimeField(_("filed at"))
    status = models.CharField(
        _("status"), max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise"], condition=Q(status="pending"), name="programs_one_pending_extension"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | ~Q(status="pending") & Q(decided_at__isnull=False),
                name="programs_extension_decided_has_a_date",
            ),
        ]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self) -> str:
        return f"{self.promise_id} → {self.new_deadline:%Y-%m-%d} ({self.status})"
