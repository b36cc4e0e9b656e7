"""The state-databases gateway: the trail of every look-up, and the built-in demo register.

A `Lookup` is private (the official, the person looked up, auditors): it has no default `objects`.
It keeps who, when, for which request, which register, purpose and field names, and the outcome;
never the values returned, and the person only as the IIN's keyed fingerprint and masked form.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Register(models.TextChoices):
    POPULATION = "population", _("population register (residence, household)")
    LAND = "land", _("land cadastre")
    REAL_ESTATE = "real_estate", _("real estate register")
    SOCIAL = "social", _("social assistance register")


class Outcome(models.TextChoices):
    OK = "ok", _("answered")
    NOT_FOUND = "not_found", _("nothing found")
    REFUSED = "refused", _("refused")
    FAILED = "failed", _("the register did not answer")


class Lookup(models.Model):
    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=150)
    kato = models.CharField(_("unit"), max_length=9, blank=True, db_index=True)
    appeal = models.ForeignKey(
        "appeals.Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal_number = models.CharField(_("request"), max_length=20, blank=True)
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    purpose = models.CharField(_("purpose"), max_length=64)
    subject_fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    subject_masked = models.CharField(_("person"), max_length=12, blank=True)
    cadastral_number = models.CharField(_("cadastral number"), max_length=40, blank=True)
    fields = models.JSONField(_("fields returned"), default=list, blank=True)
    records = models.PositiveSmallIntegerField(_("records returned"), default=0)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    private_objects = models.Manager()

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["-at", "-pk"]
        verbose_name = _("registry look-up")
        verbose_name_plural = _("registry look-ups")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.register} {self.outcome}"


class DemoPerson(models.Model):
    """A synthetic resident of the demo register: the IIN only as fingerprint and masked form."""

    iin_fingerprint = models.CharField(max_length=64, unique=True)
    iin_masked = models.CharField(max_length=12)
    kato = models.CharField(max_length=9, db_index=True)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1)
    household_size = models.PositiveSmallIntegerField()
    # "", "targeted" (targeted social assistance), "disability", "large_family", "survivor"
    social_status = models.CharField(max_length=20, blank=True)
    social_since = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("demo register person")
        verbose_name_plural = _("demo register people")

    def __str__(self) -> str:
        return f"{self.iin_masked} {self.kato}"


class DemoPlot(models.Model):
    cadastral_number = models.CharField(max_length=40, unique=True)
    kato = models.CharField(max_length=9, db_index=True)
    owner_fingerprint = models.CharField(max_length=64, db_index=True)
    area_ha = models.DecimalField(max_digits=9, decimal_places=4)
    land_use = models.CharField(max_length=40)
    right = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("demo cadastre plot")
        verbose_name_plural = _("demo cadastre plots")

    def __str__(self) -> str:
        return self.cadastral_number


class DemoProperty(models.Model):
    kato = models.CharField(max_length=9, db_index=True)
    owner_fingerprint = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=20)
    area_m2 = models.DecimalField(max_digits=8, decimal_places=1)
    registered_on = models.DateField()

    class Meta:
        verbose_name = _("demo real-estate record")
        verbose_name_plural = _("demo real-estate records")

    def __str__(self) -> str:
        return f"{self.kind} {self.kato}"
