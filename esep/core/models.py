from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("resident")
    AKIM = "akim", _("akim")
    AKIMAT_STAFF = "akimat_staff", _("akimat staff")
    DISTRICT_SUPERVISOR = "district_supervisor", _("district supervisor")
    REGION_SUPERVISOR = "region_supervisor", _("region supervisor")
    COMMISSION = "commission", _("election commission")
    PARTY_OFFICER = "party_officer", _("party officer")
    ANALYST = "analyst", _("government analyst")
    ADMINISTRATOR = "administrator", _("administrator")


class RoleAssignment(models.Model):
    """A user holds a role in a territory (and everything below it); no territory means the whole country."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    territory = models.ForeignKey(
        "territory.Territory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("territory"),
    )
    # A party officer acts for one party; the elections app fills this in.
    party_code = models.CharField(max_length=32, blank=True)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Two partial constraints because SQLite has no NULLS NOT DISTINCT for the nationwide grants.
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "territory"],
                condition=models.Q(territory__isnull=False),
                name="role_assignment_unique_in_territory",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(territory__isnull=True),
                name="role_assignment_unique_nationwide",
            ),
        ]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        where = self.territory.kato if self.territory_id else "KZ"
        return f"{self.user} · {self.get_role_display()} · {where}"


class Lease(models.Model):
    """A named, expiring lock: lets `esep tick` run from cron every minute without two runs overlapping."""

    name = models.CharField(max_length=64, primary_key=True)
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lease")

    def __str__(self) -> str:
        return f"{self.name} ({self.holder} until {self.expires_at:%Y-%m-%d %H:%M:%S})"


class RateCounter(models.Model):
    """Hits of one key in one fixed time window, shared by every server process through the database."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="rate_counter_key_window")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}: {self.count}"
