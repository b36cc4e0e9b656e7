"""Accountability reports of the akims: one per period of the schedule (`schedule.py`), with the reporting
meeting, the budget execution, one update per active promise with evidence, errata after publishing, and the
residents' answer: ratings, agree/disagree with each update, questions the akim answers in public.

Drafts are their authors' only: `Report` has no default `objects`, every read chooses `public_objects`
(published) or `private_objects`. Questions are moderated and ratings are personal: neither has `objects`.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from esep.programs.models import BudgetSource, PromiseStatus

MAX_EVIDENCE_PER_UPDATE = 5
MAX_BUDGET_LINES = 40


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class PublishedReportManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(status=ReportStatus.PUBLISHED)


class Report(models.Model):
    mandate = models.ForeignKey(
        "elections.Mandate", on_delete=models.PROTECT, related_name="reports", verbose_name=_("mandate")
    )
    # The mandate's unit, kept on the row so that lists filter by territory without a join.
    rural_unit = models.ForeignKey(
        "territory.Territory", on_delete=models.PROTECT, related_name="reports", verbose_name=_("rural unit")
    )
    sequence = models.PositiveSmallIntegerField(_("period number"))
    period_start = models.DateField(_("period from"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    meeting_on = models.DateField(_("date of the reporting meeting"), null=True, blank=True)
    meeting_place = models.CharField(_("place of the meeting"), max_length=300, blank=True)
    broadcast_url = models.URLField(_("online broadcast link"), max_length=500, blank=True)
    attendance = models.PositiveIntegerField(_("residents present"), null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=8000, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    days_late = models.PositiveIntegerField(_("days late"), default=0)
    # Counters kept by the rating service, so lists show averages without reading every rating.
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"))
    updated_at = models.DateTimeField(_("updated at"))

    public_objects = PublishedReportManager()
    private_objects = models.Manager()

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["mandate", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["mandate", "sequence"], name="reports_one_report_per_period"),
            models.UniqueConstraint(
                fields=["mandate"], condition=Q(status="draft"), name="reports_one_draft_per_mandate"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False, meeting_on__isnull=False),
                name="reports_published_has_date_and_meeting",
            ),
            models.CheckConstraint(condition=Q(period_start__lt=models.F("due_on")), name="reports_period"),
        ]
        indexes = [
            models.Index(fields=["rural_unit", "status"], name="reports_unit_status_idx"),
            models.Index(fields=["status", "published_at"], name="reports_published_idx"),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.rural_unit_id} · {self.mandate_id} · {self.sequence}"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None


class BudgetKind(models.TextChoices):
    REVENUE = "revenue", _("revenue")
    EXPENSE = "expense", _("expense")


class ExpenseItem(models.TextChoices):
    """Spending of the rural self-government budget, grouped as residents read it."""

    ADMINISTRATION = "administration", _("the akim's office")
    ROADS = "roads", _("streets and roads")
    LIGHTING = "lighting", _("street lighting")
    WATER = "water", _("water supply")
    SANITATION = "sanitation", _("sanitation and waste")
    LANDSCAPING = "landscaping", _("landscaping and greenery")
    CULTURE_SPORT = "culture_sport", _("culture and sport")
    SOCIAL = "social", _("social support")
    TRANSPORT = "transport", _("transport of pupils and residents")
    EMERGENCIES = "emergencies", _("fire safety and emergencies")
    OTHER = "other", _("other spending")


BUDGET_ITEMS = {BudgetKind.REVENUE: BudgetSource, BudgetKind.EXPENSE: ExpenseItem}


class BudgetLine(models.Model):
    """Budget execution of the rural unit over the report's period: what was planned, what came in or out."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("report")
    )
    kind = models.CharField(_("revenue or expense"), max_length=8, choices=BudgetKind.choices)
    item = models.CharField(_("item"), max_length=32)
    planned_kzt = models.PositiveBigIntegerField(_("planned, tenge"))
    actual_kzt = models.PositiveBigIntegerField(_("executed, tenge"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["report", "kind", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "item"], name="reports_budget_item_once"),
        ]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.kind} {self.item}"

    @property
    def item_label(self) -> str:
        choices = BUDGET_ITEMS.get(self.kind)
        return str(dict(choices.choices).get(self.item, self.item)) if choices else self.item

    @property
    def execution(self) -> float | None:
        return self.actual_kzt / self.planned_kzt if self.planned_kzt else None


class ReportUpdate(models.Model):
    """What the report says of one promise. On publishing it becomes an entry of the promise's timeline."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="updates", verbose_name=_("report")
    )
    promise = models.ForeignKey(
        "programs.Promise", on_delete=models.PROTECT, related_name="report_updates", verbose_name=_("promise")
    )
    no_change = models.BooleanField(_("no change"), default=False)
    # Empty for "no change": the promise keeps its status, progress and spending.
    status = models.CharField(_("new status"), max_length=16, choices=PromiseStatus.choices, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress, %"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    spent_kzt = models.PositiveBigIntegerField(_("spent so far, tenge"), null=True, blank=True)
    narrative = models.TextField(_("what happened (or why nothing changed)"), max_length=4000)
    reason = models.TextField(_("reason (broken or dropped)"), max_length=4000, blank=True)
    # The status the promise had when the report was published, and the timeline entry it became.
    status_before = models.CharField(max_length=16, choices=PromiseStatus.choices, blank=True)
    event = models.OneToOneField(
        "programs.PromiseEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="report_update"
    )
    agree_count = models.PositiveIntegerField(default=0)
    disagree_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["report", "promise__order", "promise_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "promise"], name="reports_one_update_per_promise"),
            models.CheckConstraint(
                condition=Q(no_change=True, status="") | Q(no_change=False) & ~Q(status=""),
                name="reports_update_status_unless_no_change",
            ),
        ]
        verbose_name = _("promise update")
        verbose_name_plural = _("promise updates")

    def __str__(self) -> str:
        return f"{self.report_id} · {self.promise_id}"

    @property
    def status_after(self) -> str:
        return self.status or self.status_before


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("photo")
    PDF = "pdf", _("PDF document")


def evidence_path(evidence: "Evidence", filename: str) -> str:
    return f"reports/{evidence.update.report_id}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class Evidence(models.Model):
    """A photo (re-encoded, metadata stripped) or a PDF attached to an update; public once the report is."""

    update = models.ForeignKey(
        ReportUpdate, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("update")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    file = models.FileField(upload_to=evidence_path, max_length=200)
    title = models.CharField(_("caption"), max_length=200, blank=True)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["update", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.file.name


class Erratum(models.Model):
    """A correction appended to a published report, dated and shown with it; the report never changes."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="errata", verbose_name=_("report")
    )
    text = models.TextField(_("correction"), max_length=4000)
    published_at = models.DateTimeField(_("published at"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["report", "published_at", "pk"]
        verbose_name = _("erratum")
        verbose_name_plural = _("errata")

    def __str__(self) -> str:
        return f"{self.report_id} {self.published_at:%Y-%m-%d}"


# --- The residents' voice ------------------------------------------------------------------------------


class Rating(models.Model):
    """One resident's mark of one report, 1 to 5; changing it replaces it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_ratings"
    )
    stars = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    private_objects = models.Manager()

    class Meta:
        default_manager_name = "private_objects"
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="reports_one_rating_per_resident"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="reports_rating_1_to_5"),
        ]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.report_id} {self.stars}"


class Verdict(models.TextChoices):
    AGREE = "agree", _("agree")
    DISAGREE = "disagree", _("disagree")


class UpdateVerdict(models.Model):
    """A resident agrees or disagrees with the status an update gives a promise; may change their mind."""

    update = models.ForeignKey(ReportUpdate, on_delete=models.CASCADE, related_name="verdicts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_verdicts"
    )
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices)
    at = models.DateTimeField()

    private_objects = models.Manager()

    class Meta:
        default_manager_name = "private_objects"
        constraints = [
            models.UniqueConstraint(fields=["update", "user"], name="reports_one_verdict_per_resident"),
        ]
        verbose_name = _("verdict on an update")
        verbose_name_plural = _("verdicts on updates")

    def __str__(self) -> str:
        return f"{self.update_id} {self.verdict}"


class Question(models.Model):
    """A resident's question on a report, answered by the akim in public. A moderator may hide an abusive one:
    its text is then never shown again, only "hidden by moderator: <reason>"."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_questions"
    )
    text = models.TextField(_("question"), max_length=2000)
    asked_at = models.DateTimeField()
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    # Both managers list hidden questions too (their place stays visible); pages show `public_text`.
    public_objects = models.Manager()
    moderation_objects = models.Manager()

    class Meta:
        default_manager_name = "moderation_objects"
        ordering = ["report", "asked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True, hidden_reason="")
                | Q(hidden_at__isnull=False) & ~Q(hidden_reason=""),
                name="reports_hidden_question_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="")
                | Q(answered_at__isnull=False) & ~Q(answer=""),
                name="reports_answer_has_a_date",
            ),
        ]
        indexes = [models.Index(fields=["report", "asked_at"], name="reports_question_report_idx")]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.report_id} {self.asked_at:%Y-%m-%d}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def public_text(self) -> str:
        return "" if self.is_hidden else self.text


class Subscription(models.Model):
    """A resident who wants an e-mail when the akim of a unit publishes a report."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    unit = models.ForeignKey(
        "territory.Territory", on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="reports_subscribe_once")]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.unit_id}"


class NotificationKind(models.TextChoices):
    REMINDER_14 = "reminder_14", _("A report is due in two weeks")
    REMINDER_3 = "reminder_3", _("A report is due in three days")
    OVERDUE = "overdue", _("A report is overdue")
    QUESTION = "question", _("A resident asked a question on a report")
    ANSWERED = "answered", _("Your question was answered")


# Kinds that `esep tick` sends once per due date and recipient.
ONCE_PER_DUE_DATE = (NotificationKind.REMINDER_14, NotificationKind.REMINDER_3, NotificationKind.OVERDUE)


class ReportNotification(models.Model):
    """An in-app message to an akim, akimat staff, a district supervisor or a resident."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_notifications"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    rural_unit = models.ForeignKey("territory.Territory", on_delete=models.CASCADE, related_name="+")
    mandate = models.ForeignKey("elections.Mandate", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Reminders and the overdue notice go out once per due date and recipient, however many ticks run.
            models.UniqueConstraint(
                fields=["kind", "recipient", "mandate", "due_on"],
                condition=Q(kind__in=["reminder_14", "reminder_3", "overdue"]),
                name="reports_notification_once_per_due_date",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="reports_notif_unread_idx")]
        verbose_name = _("report notification")
        verbose_name_plural = _("report notifications")

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.due_on}"


class ReportStat(models.Model):
    """Where one unit's sitting akim stands against the report schedule, recomputed by the services that
    change it and by `esep tick` when a due date passes, so district, region and country pages add up rows."""

    unit = models.OneToOneField(
        "territory.Territory",
        on_delete=models.CASCADE,
        related_name="report_stat",
        verbose_name=_("rural unit"),
    )
    kato = models.CharField(max_length=9, unique=True)
    district = models.CharField(max_length=9, db_index=True)
    region = models.CharField(max_length=9, db_index=True)
    mandate_id = models.PositiveIntegerField(null=True, blank=True)
    due = models.PositiveIntegerField(default=0)
    published = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    days_late_total = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    overdue_since = models.DateField(null=True, blank=True)
    missed = models.JSONField(default=list, blank=True)  # the missed due dates, ISO strings
    next_due_on = models.DateField(null=True, blank=True)
    next_sequence = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    last_report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_published_at = models.DateTimeField(null=True, blank=True)
    rules_seen = models.PositiveIntegerField(
        default=0
    )  # the newest rule set when computed: the schedule's input
    as_of = models.DateField()

    class Meta:
        ordering = ["kato"]
        indexes = [models.Index(fields=["overdue", "kato"], name="reports_stat_overdue_idx")]
        verbose_name = _("report figures of a unit")
        verbose_name_plural = _("report figures of units")

    def __str__(self) -> str:
        return self.kato

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None
