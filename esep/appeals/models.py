"""Residents' requests (appeals): categories tied to powers, requests with legal deadlines, their history,
photos, notifications, Open311 API keys, and the summary counters that figures read.

Requests are private to the resident and the akimat: `Appeal` has no default `objects` manager, so every
read chooses `public_objects` (open-data fields only) or `private_objects` (staff, the resident).
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from esep.core.languages import in_language

TEXT_MAX_LENGTH = 4000
ANSWER_MAX_LENGTH = 10000
MAX_PHOTOS = 3
# Days-to-answer histogram: buckets 0..59 working days, and 60 for "60 or more".
DAYS_BUCKET_MAX = 60


class Body(models.TextChoices):
    """Who holds a power, so who answers or receives a request (the levels of the powers catalogue)."""

    RURAL = "rural", _("rural akimat")
    DISTRICT = "district", _("district akimat")
    REGION = "region", _("region akimat")
    POLICE = "police", _("police")
    OTHER = "other", _("another state body")


FORWARD_BODIES = [Body.DISTRICT, Body.REGION, Body.POLICE, Body.OTHER]


class Status(models.TextChoices):
    REGISTERED = "registered", _("registered")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")
    FORWARDED = "forwarded", _("forwarded")


OPEN_STATUSES = (Status.REGISTERED, Status.IN_PROGRESS)


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", _("the resident confirmed the answer")
    DISPUTED = "disputed", _("the resident disputed the answer")


class Source(models.TextChoices):
    WEB = "web", _("web form")
    API = "api", _("Esep API")
    OPEN311 = "open311", _("Open311")
    DEMO = "demo", _("demo data")


class Category(models.Model):
    """A kind of request. `code` is the Open311 service_code; `power_codes` tie it to the powers catalogue."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_kk = models.CharField(_("name in Kazakh"), max_length=120)
    name_ru = models.CharField(_("name in Russian"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    description_kk = models.CharField(_("description in Kazakh"), max_length=300, blank=True)
    description_ru = models.CharField(_("description in Russian"), max_length=300, blank=True)
    description_en = models.CharField(_("description in English"), max_length=300, blank=True)
    group = models.CharField(_("group"), max_length=40, help_text=_("Open311 group, e.g. utilities"))
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    # Codes of powers.Power, resolved at run time (routing.py): no dependency on the catalogue's
    # migrations; `holder` is what is used when none of the codes is in the catalogue.
    power_codes = models.JSONField(_("power codes"), default=list, blank=True)
    holder = models.CharField(
        _("who holds the power"), max_length=16, choices=Body.choices, default=Body.RURAL
    )
    forward_body_name = models.CharField(
        _("body to forward to"), max_length=200, blank=True, help_text=_("For another state body.")
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return in_language(self, "name")

    @property
    def description(self) -> str:
        return in_language(self, "description")


class ApiKey(models.Model):
    """A key issued to an organisation for Open311 POSTs. Only its SHA-256 is kept; the key is shown once."""

    organisation = models.CharField(_("organisation"), max_length=200)
    prefix = models.CharField(_("key prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("issued at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "pk"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.prefix}…)"


class AppealNumber(models.Model):
    """The last registration number given out in a year; taken with a conditional UPDATE."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("registration number counter")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


PUBLIC_FIELDS = (
    "pk",
    "number",
    "kato",
    "unit",
    "category",
    "text",
    "publish_text",
    "address",
    "latitude",
    "longitude",
    "status",
    "registered_at",
    "updated_at",
    "deadline",
    "extended_deadline",
    "forwarded_to",
    "forwarded_body",
    "answered_at",
    "closed_at",
)


class PublicAppealManager(models.Manager):
    """Only the fields that may be shown to anyone (Open311, figures): never the resident or the answer."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().only(*PUBLIC_FIELDS)


class Appeal(models.Model):
    number = models.CharField(_("registration number"), max_length=20, unique=True)
    unit = models.ForeignKey(
        "territory.Territory", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("rural unit")
    )
    # The unit's KATO code, copied so that territory scopes filter without a join.
    kato = models.CharField(max_length=9)  # indexed first in (kato, status) and (kato, registered_at)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("category")
    )
    text = models.TextField(_("text"), validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    publish_text = models.BooleanField(_("show the text in open data"), default=True)
    address = models.CharField(_("place"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(40), MaxValueValidator(56)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(46), MaxValueValidator(88)],
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.WEB)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED, db_index=True
    )
    registered_at = models.DateTimeField(_("registered at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"))
    deadline = models.DateField(_("deadline"))
    extended_deadline = models.DateField(_("extended deadline"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    forwarded_to = models.CharField(
        _("forwarded to"), max_length=16, choices=Body.choices, blank=True, db_index=True
    )
    forwarded_body = models.CharField(_("receiving body"), max_length=200, blank=True)
    forward_reason = models.TextField(_("reason for forwarding"), blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)])
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_appeals",
        verbose_name=_("assigned to"),
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("resident"),
    )
    # Requests posted through Open311 by an organisation: its key and the contact it gave.
    api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    external_account_id = models.CharField(max_length=100, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(_("resident's verdict"), max_length=10, choices=Verdict.choices, blank=True)
    verdict_note = models.TextField(_("resident's comment"), blank=True)
    # Set once by `esep tick` with a conditional UPDATE: the escalation to the district supervisor.
    escalated_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The deadline was missed (counted once in the summary counters, at escalation or at a late answer).
    missed = models.BooleanField(default=False)

    public_objects = PublicAppealManager()
    private_objects = models.Manager()

    class Meta:
        # No `objects` on purpose; related managers and the admin use the private one.
        default_manager_name = "private_objects"
        ordering = ["-registered_at", "-pk"]
        indexes = [
            models.Index(fields=["kato", "status"], name="appeal_kato_status_idx"),
            # A unit's requests newest first (Open311, the unit's list) straight from the index.
            models.Index(fields=["kato", "registered_at"], name="appeal_kato_registered_idx"),
            models.Index(fields=["status", "deadline"], name="appeal_status_deadline_idx"),
        ]
        verbose_name = _("request")
        verbose_name_plural = _("requests")

    def __str__(self) -> str:
        return self.number

    @property
    def due_date(self) -> date:
        return self.extended_deadline or self.deadline

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_date < today


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("registered")
    ASSIGNED = "assigned", _("assigned")
    STARTED = "started", _("work started")
    EXTENDED = "extended", _("deadline extended")
    FORWARDED = "forwarded", _("forwarded")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed by the resident")
    ESCALATED = "escalated", _("escalated to the supervisor")
    PHOTO = "photo", _("photo added")


class AppealEvent(models.Model):
    """One line of a request's history: who did what, when."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    kind = models.CharField(_("what"), max_length=16, choices=EventKind.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.kind} {self.at:%Y-%m-%d}"


def photo_path(photo: "AppealPhoto", filename: str) -> str:
    return f"appeals/{photo.appeal.registered_at:%Y/%m}/{photo.appeal.number}-{filename}"


class AppealPhoto(models.Model):
    """A photo re-encoded on upload (type read from content, metadata stripped), served to few."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("request photo")
        verbose_name_plural = _("request photos")

    def __str__(self) -> str:
        return self.image.name


class NotificationKind(models.TextChoices):
    REGISTERED = "registered", _("Your request was registered")
    EXTENDED = "extended", _("The deadline of your request was extended")
    FORWARDED = "forwarded", _("Your request was forwarded")
    ANSWERED = "answered", _("Your request was answered")
    ESCALATED = "escalated", _("A request in your territory is overdue")


class Notification(models.Model):
    """A message to a user about a request: the in-app outbox (there is no e-mail app yet)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeal_notifications"
    )
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="appeal_notif_unread_idx")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}"


class AppealStat(models.Model):
    """Counters of the requests registered in one month, in one category, in one scope.

    The scope is a unit, district or region KATO code, or "" for the whole country: every change bumps
    the four scopes it belongs to in the service's own transaction, so figures at any level read a few rows.
    """

    scope = models.CharField(max_length=9, blank=True)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    registered = models.PositiveIntegerField(default=0)
    forwarded = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    answered_on_time = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    extended = models.PositiveIntegerField(default=0)
    confirmed = models.PositiveIntegerField(default=0)
    disputed = models.PositiveIntegerField(default=0)
    answer_days_total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "month", "category"], name="appeal_stat_unique"),
        ]
        verbose_name = _("request counters")
        verbose_name_plural = _("request counters")

    def __str__(self) -> str:
        return f"{self.scope or 'KZ'} {self.month:%Y-%m} {self.category_id}"


class AppealAnswerDays(models.Model):
    """How many requests of a month and scope were answered in `days` working days (60 = 60 or more)."""

    scope = models.CharField(max_length=9, blank=True)
    month = models.DateField()
    days = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "month", "days"], name="appeal_answer_days_unique"),
        ]
        verbose_name = _("days-to-answer bucket")
        verbose_name_plural = _("days-to-answer buckets")

    def __str__(self) -> str:
        return f"{self.scope or 'KZ'} {self.month:%Y-%m} {self.days}: {self.count}"
