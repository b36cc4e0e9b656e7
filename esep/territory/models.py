"""Kazakhstan's territory from the KATO classifier: region > district > sub-district unit > settlement."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from esep.core.kato import district_code, kato_prefix, kato_within, region_code
from esep.core.languages import in_language


class Level(models.TextChoices):
    REGION = "region", _("region")
    DISTRICT = "district", _("district")
    UNIT = "unit", _("sub-district unit")
    SETTLEMENT = "settlement", _("settlement")


class Kind(models.TextChoices):
    REGION = "region", _("region")
    CITY_OF_REPUBLICAN_SIGNIFICANCE = "republican_city", _("city of republican significance")
    DISTRICT = "district", _("district")
    CITY_ADMINISTRATION_DISTRICT = "city_district_admin", _("city administration")
    RURAL_OKRUG = "rural_okrug", _("rural okrug")
    VILLAGE_ADMINISTRATION = "village_admin", _("village administration")
    SETTLEMENT_ADMINISTRATION = "settlement_admin", _("settlement administration")
    CITY_ADMINISTRATION = "city_admin", _("town administration")
    CITY = "city", _("city")
    CITY_DISTRICT = "city_district", _("city district")
    SETTLEMENT = "settlement", _("settlement")


# The four kinds of sub-district unit headed by a directly elected akim.
ELECTED_KINDS = frozenset(
    {Kind.RURAL_OKRUG, Kind.VILLAGE_ADMINISTRATION, Kind.SETTLEMENT_ADMINISTRATION, Kind.CITY_ADMINISTRATION}
)


class TerritoryQuerySet(models.QuerySet):
    def regions(self) -> "TerritoryQuerySet":
        return self.filter(level=Level.REGION)

    def districts(self) -> "TerritoryQuerySet":
        return self.filter(level=Level.DISTRICT)

    def elected_units(self) -> "TerritoryQuerySet":
        return self.filter(level=Level.UNIT, has_elected_akim=True)

    def settlements(self) -> "TerritoryQuerySet":
        return self.filter(level=Level.SETTLEMENT)

    def within(self, territory: "Territory") -> "TerritoryQuerySet":
        """Everything below `territory` (and itself), by KATO code prefix."""
        return self.filter(kato_within("kato", territory.code_prefix))


class Territory(models.Model):
    kato = models.CharField(_("KATO code"), max_length=9, unique=True)
    kato_version = models.CharField(max_length=32)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    type_code = models.PositiveSmallIntegerField()
    name_kk = models.CharField(_("name in Kazakh"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in Latin script"), max_length=200)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    has_elected_akim = models.BooleanField(default=False)
    # Lower-cased Kazakh, Russian and Latin names: SQLite's LIKE folds only ASCII case.
    search_text = models.CharField(max_length=700, editable=False)
    voters = models.PositiveIntegerField(_("registered voters"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        ordering = ["kato"]
        indexes = [models.Index(fields=["level", "has_elected_akim"], name="territory_level_elected_idx")]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    def __str__(self) -> str:
        return f"{self.name} ({self.kato})"

    @property
    def name(self) -> str:
        return in_language(self, "name")

    @property
    def code_prefix(self) -> str:
        """The leading KATO digits that every territory below this one shares."""
        return kato_prefix(self.kato)

    @property
    def region_code(self) -> str:
        return region_code(self.kato)

    @property
    def district_code(self) -> str:
        return district_code(self.kato)

    def covers(self, other: "Territory") -> bool:
        return other.kato.startswith(self.code_prefix)


class _LevelManager(models.Manager):
    def __init__(self, **filters: object) -> None:
        super().__init__()
        self.filters = filters

    def get_queryset(self) -> TerritoryQuerySet:
        return TerritoryQuerySet(self.model, using=self._db).filter(**self.filters)


class Region(Territory):
    objects = _LevelManager(level=Level.REGION)

    class Meta:
        proxy = True
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class District(Territory):
    objects = _LevelManager(level=Level.DISTRICT)

    class Meta:
        proxy = True
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class RuralUnit(Territory):
    """A sub-district unit with an elected akim: rural okrug, village, settlement or town administration."""

    objects = _LevelManager(level=Level.UNIT, has_elected_akim=True)

    class Meta:
        proxy = True
        verbose_name = _("rural unit")
        verbose_name_plural = _("rural units")


class Settlement(Territory):
    objects = _LevelManager(level=Level.SETTLEMENT)

    class Meta:
        proxy = True
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
