"""The catalogue of powers: which level of government (or which body) may do what, on which legal basis."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
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
