"""The catalogue of powers: which level of government (or which body) may do what, on which legal basis."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """Fields of local life; shared with development plan items so a promise, a power and a plan line meet."""

    GOVERNANCE = "governance", _("governance and appeals")
    FINANCE = "finance", _("budget and taxes")
    LAND = "land", _("land relations")
    HOUSING = "housing", _("housing")
    CONSTRUCTION = "construction", _("construction and urban planning")
    ROADS = "roads", _("roads")
    TRANSPORT = "transport", _("public transport")
    WATER = "water", _("water supply")
    UTILITIES = "utilities", _("heating, gas and power")
    LANDSCAPING = "landscaping", _("landscaping, lighting and cleaning")
    EDUCATION = "education", _("schools and kindergartens")
    HEALTH = "health", _("health")
    CULTURE = "culture", _("culture")
    SPORT = "sport", _("sport")
    SOCIAL = "social", _("social help and employment")
    AGRICULTURE = "agriculture", _("agriculture and pastures")
    VETERINARY = "veterinary", _("veterinary")
    CEMETERIES = "cemeteries", _("cemeteries")
    RECORDS = "records", _("household and civil records")
    EMERGENCIES = "emergencies", _("emergencies and fire safety")
    PUBLIC_ORDER = "public_order", _("public order")
    DEFENCE = "defence", _("military registration")
    TRADE = "trade", _("trade and business")
    ENVIRONMENT = "environment", _("environment")


class PowerLevel(models.TextChoices):
    RURAL = "rural", _("rural akim")
    DISTRICT = "district", _("district akim")
    REGION = "region", _("region akim")
    POLICE = "police", _("police")
    OTHER = "other", _("other state body")


class PowerStatus(models.TextChoices):
    IN_FORCE = "in_force", _("in force")
    PROPOSED = "proposed", _("proposed")
    PROPOSED_TRANSFER = "proposed_transfer", _("proposed for transfer")
    PROPOSED_EXCLUSION = "proposed_exclusion", _("proposed for exclusion")


# Powers a program may rest on today: in force, including those only proposed for transfer or exclusion.
STATUSES_IN_FORCE = (PowerStatus.IN_FORCE, PowerStatus.PROPOSED_TRANSFER, PowerStatus.PROPOSED_EXCLUSION)


class Wording(models.TextChoices):
    VERBATIM = "verbatim", _("text of the law")
    PARAPHRASE = "paraphrase", _("paraphrase")


validate_power_code = RegexValidator(
    r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$",
    _("A power code is lower-case words joined by dots, such as roads.maintenance."),
)


class Power(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True, validators=[validate_power_code])
    level = models.CharField(_("level"), max_length=16, choices=PowerLevel.choices, db_index=True)
    body = models.CharField(_("body"), max_length=200, blank=True, help_text=_("For the level 'other'."))
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, db_index=True)
    text_kk = models.TextField(_("text in Kazakh"))
    text_ru = models.TextField(_("text in Russian"))
    text_en = models.TextField(_("text in English"), blank=True)
    act = models.CharField(_("legal act"), max_length=300)
    # Blank where the catalogue does not yet name the article: the analysts complete it (issue #8).
    article = models.CharField(_("article"), max_length=16, blank=True)
    item = models.CharField(_("item"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=PowerStatus.choices, default=PowerStatus.IN_FORCE, db_index=True
    )
    wording = models.CharField(
        _("wording"), max_length=16, choices=Wording.choices, default=Wording.PARAPHRASE
    )
    # True only where the article and item were checked against a published text of the act; an unchecked
    # item is shown as such, never passed off as a citation.
    basis_checked = models.BooleanField(_("article and item checked"), default=False)
    # Lower-cased code and texts: SQLite's LIKE folds only ASCII case.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("power")
        verbose_name_plural = _("powers")

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if self.level == PowerLevel.OTHER and not self.body.strip():
            raise ValidationError({"body": _("Name the body that holds a power of the level 'other'.")})
        self.search_text = power_search_text(self.code, self.text_kk, self.text_ru, self.text_en, self.body)

    @property
    def text(self) -> str:
        language = (get_language() or "ru")[:2]
        if language == "kk":
            return self.text_kk
        if language == "en":
            return self.text_en or self.text_ru
        return self.text_ru

    @property
    def legal_basis(self) -> str:
        parts = [self.act]
        if self.article:
            parts.append(_("art. %(article)s") % {"article": self.article})
        if self.item:
            parts.append(_("item %(item)s") % {"item": self.item})
        return ", ".join(parts)


def power_search_text(*parts: str) -> str:
    return " | ".join(part.lower() for part in parts if part)


class SectorOwner(models.Model):
    """Which level or body a sector belongs to: a rural power in a sector owned elsewhere is non-core.

    Data, not code: analysts change it on the analysis page (`services.sector_owner_set`), audited.
    """

    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, unique=True)
    level = models.CharField(_("owning level"), max_length=16, choices=PowerLevel.choices)
    body = models.CharField(_("owning body"), max_length=200, blank=True)
    note = models.TextField(_("why"), blank=True)

    class Meta:
        ordering = ["sector"]
        verbose_name = _("owner of a sector")
        verbose_name_plural = _("owners of sectors")

    def __str__(self) -> str:
        return f"{self.sector} -> {self.level}"

    def clean(self) -> None:
        if self.level == PowerLevel.RURAL:
            raise ValidationError({"level": _("A sector owned by the rural akim is not listed here.")})
        if self.level == PowerLevel.OTHER and not self.body.strip():
            raise ValidationError({"body": _("Name the body that owns the sector.")})


class PairVerdict(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed duplicate")
    DISMISSED = "dismissed", _("dismissed")


class DuplicatePairReview(models.Model):
    """An analyst's verdict on a pair of similar powers, keyed by the two codes (in order) so that running
    the analysis again, or importing the catalogue again, keeps it."""

    first_code = models.CharField(max_length=64, validators=[validate_power_code])
    second_code = models.CharField(max_length=64, validators=[validate_power_code])
    verdict = models.CharField(_("verdict"), max_length=16, choices=PairVerdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    score = models.FloatField(_("similarity at the review"))
    # SHA-256 of the four texts at the review: a changed text makes the verdict stale, not lost.
    texts_digest = models.CharField(max_length=64)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"))

    class Meta:
        ordering = ["first_code", "second_code"]
        constraints = [
            models.UniqueConstraint(fields=["first_code", "second_code"], name="powers_pair_review_unique"),
            models.CheckConstraint(
                condition=Q(first_code__lt=F("second_code")), name="powers_pair_review_ordered"
            ),
        ]
        verbose_name = _("review of a duplicate pair")
        verbose_name_plural = _("reviews of duplicate pairs")

    def __str__(self) -> str:
        return f"{self.first_code} ~ {self.second_code}: {self.verdict}"


class FindingKind(models.TextChoices):
    DUPLICATE = "duplicate", _("duplicated powers")
    NON_CORE_POWER = "non_core_power", _("non-core power")
    NON_CORE_CATEGORY = "non_core_category", _("requests mostly forwarded")
    MISSING = "missing", _("missing power")


class ProposalKind(models.TextChoices):
    CORRECT = "correct", _("correct")
    EXCLUDE = "exclude", _("exclude")
    TRANSFER = "transfer", _("transfer to another level")
    ADD = "add", _("add")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Proposal(models.Model):
    """A proposal to correct, exclude, transfer or add a power, made from one finding of the analysis, with
    the evidence of that finding frozen at the time (texts, similarity, request statistics by region)."""

    finding = models.CharField(_("finding"), max_length=24, choices=FindingKind.choices)
    # "duplicate:<code>|<code>", "non_core_power:<code>", "non_core_category:<category>", "missing:<category>"
    finding_key = models.CharField(_("finding key"), max_length=200, db_index=True)
    kind = models.CharField(_("proposal"), max_length=16, choices=ProposalKind.choices)
    power = models.ForeignKey(
        Power,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("power"),
    )
    category_code = models.CharField(_("request category"), max_length=40, blank=True)
    target_level = models.CharField(_("to level"), max_length=16, choices=PowerLevel.choices, blank=True)
    # Where the proposal files in the report: the power's level and sector, or the level a power is added at.
    level = models.CharField(_("level"), max_length=16, choices=PowerLevel.choices, db_index=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    rationale = models.TextField(_("rationale"))
    evidence = models.JSONField(_("evidence"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("comment on the decision"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.kind} {self.power_id or self.category_code}"

    def clean(self) -> None:
        if self.kind == ProposalKind.ADD:
            if self.power_id is not None:
                raise ValidationError({"power": _("A proposal to add a power names no existing power.")})
            if not self.target_level:
                raise ValidationError({"target_level": _("Say at which level the power is to be added.")})
        elif self.power_id is None:
            raise ValidationError({"power": _("Choose the power the proposal is about.")})
        if self.kind == ProposalKind.TRANSFER:
            if not self.target_level:
                raise ValidationError({"target_level": _("Say to which level the power is to go.")})
            if self.power is not None and self.power.level == self.target_level:
                raise ValidationError({"target_level": _("The power is already at that level.")})
        elif self.kind != ProposalKind.ADD and self.target_level:
            raise ValidationError({"target_level": _("Only a transfer or an addition names a level.")})
