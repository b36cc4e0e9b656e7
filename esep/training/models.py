"""The School of Akims and follow-up of instructions: what akims learn, who staffs the akimats, who was told
to do what by when.

Training: providers run courses made of modules; a session of a course has dates and a place; a supervisor
enrols sitting akims; a completion with a passing score gives a certificate and the course's modules as
competences of the person (they stay with the person across mandates).
Civil service: the category of each akim's post and of each akimat staff position; staff changes over time.
Instructions: an issuer's instruction with a deadline, assigned to bodies, regions or akims, each of whom
reports; `esep tick` reminds and escalates.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esep.core.languages import in_language

# --- Training -------------------------------------------------------------------------------------


class ProviderKind(models.TextChoices):
    SCHOOL_OF_AKIMS = "school_of_akims", _("School of Akims")
    ACADEMY = "academy", _("Academy of Public Administration")
    UNIVERSITY = "university", _("university")
    OTHER = "other", _("other provider")


class Provider(models.Model):
    """Who teaches: the School of Akims, the Academy of Public Administration, universities."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ProviderKind.choices)
    name_kk = models.CharField(_("name in Kazakh"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class Module(models.Model):
    """One competence an akim needs (law, the rural budget, procurement...). Courses are made of modules."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_kk = models.CharField(_("name in Kazakh"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Required modules make up the profile every akim is expected to have; gaps are counted on them.
    required = models.BooleanField(_("required of every akim"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class Course(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="courses", verbose_name=_("provider")
    )
    title_kk = models.CharField(_("title in Kazakh"), max_length=200)
    title_ru = models.CharField(_("title in Russian"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200)
    modules = models.ManyToManyField(Module, related_name="courses", verbose_name=_("modules"))
    hours = models.PositiveSmallIntegerField(_("academic hours"))
    pass_score = models.PositiveSmallIntegerField(
        _("pass score (of 100)"), default=60, validators=[MaxValueValidator(100)]
    )
    # The first step of a recommended path for akims new to the post or to the civil service.
    is_foundation = models.BooleanField(_("foundation course"), default=False)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["-is_foundation", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self, "title")


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    BLENDED = "blended", _("blended")


class Session(models.Model):
    """One run of a course: dates, place and seats."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200)
    region = models.ForeignKey(
        "territory.Territory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "region"},
        verbose_name=_("region"),
    )
    mode = models.CharField(
        _("format"), max_length=16, choices=SessionMode.choices, default=SessionMode.IN_PERSON
    )
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="training_session_dates"
            )
        ]
        indexes = [models.Index(fields=["starts_on"], name="training_session_start_idx")]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.course_id} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("enrolled")
    COMPLETED = "completed", _("completed")
    FAILED = "failed", _("did not pass")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Enrolment(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("session")
    )
    person = models.ForeignKey(
        "elections.Person",
        on_delete=models.PROTECT,
        related_name="training_enrolments",
        verbose_name=_("akim"),
    )
    # The unit the akim headed when enrolled: the territory that scopes who may see and change the row.
    rural_unit = models.ForeignKey(
        "territory.Territory", on_delete=models.PROTECT, related_name="+", verbose_name=_("rural unit")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("score (of 100)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate_number = models.CharField(
        _("certificate number"), max_length=40, null=True, blank=True, unique=True
    )

    class Meta:
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="training_one_enrolment_per_session"),
            models.CheckConstraint(
                condition=Q(
                    status__in=["completed", "failed"], score__isnull=False, completed_on__isnull=False
                )
                | (~Q(status__in=["completed", "failed"]) & Q(score__isnull=True, completed_on__isnull=True)),
                name="training_a_result_has_score_and_date",
            ),
            models.CheckConstraint(
                condition=Q(status="completed", certificate_number__isnull=False)
                | (~Q(status="completed") & Q(certificate_number__isnull=True)),
                name="training_only_completions_have_certificates",
            ),
        ]
        indexes = [models.Index(fields=["person", "status"], name="training_enrol_person_idx")]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.person_id} · {self.session_id} · {self.status}"


class Competence(models.Model):
    """A module a person has completed: written once by the first completion that covers it."""

    person = models.ForeignKey(
        "elections.Person", on_delete=models.CASCADE, related_name="competences", verbose_name=_("akim")
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="competences", verbose_name=_("module")
    )
    acquired_on = models.DateField(_("acquired on"))
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="competences")

    class Meta:
        ordering = ["module__position", "module__code"]
        constraints = [
            models.UniqueConstraint(fields=["person", "module"], name="training_one_competence_per_module")
        ]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")

    def __str__(self) -> str:
        return f"{self.person_id} · {self.module_id}"


# --- Civil-service status and akimat staff --------------------------------------------------------


class Corps(models.TextChoices):
    POLITICAL = "political", _("political civil service")
    ADMINISTRATIVE_A = "admin_a", _("administrative civil service, corps A")
    ADMINISTRATIVE_B = "admin_b", _("administrative civil service, corps B")
    NOT_CIVIL_SERVICE = "none", _("not a civil-service post (labour contract)")
    UNDER_REVIEW = "review", _("status under review")


class PostCategory(models.Model):
    """A category of the register of civil-service posts (e.g. E-G-1), or a non-civil-service post kind."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    corps = models.CharField(_("corps"), max_length=16, choices=Corps.choices)
    name_kk = models.CharField(_("name in Kazakh"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("post category")
        verbose_name_plural = _("post categories")

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return in_language(self, "name")

    @property
    def is_civil_service(self) -> bool:
        return self.corps in {Corps.POLITICAL, Corps.ADMINISTRATIVE_A, Corps.ADMINISTRATIVE_B}


class AkimPost(models.Model):
    """The civil-service category of the akim's own post in a unit."""

    rural_unit = models.OneToOneField(
        "territory.Territory",
        on_delete=models.PROTECT,
        related_name="akim_post",
        verbose_name=_("rural unit"),
    )
    category = models.ForeignKey(
        PostCategory, on_delete=models.PROTECT, related_name="akim_posts", verbose_name=_("category")
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("akim's post")
        verbose_name_plural = _("akims' posts")

    def __str__(self) -> str:
        return f"{self.rural_unit_id} · {self.category_id}"


class PositionKind(models.TextChoices):
    DEPUTY_AKIM = "deputy_akim", _("deputy akim")
    CHIEF_SPECIALIST = "chief_specialist", _("chief specialist")
    LEADING_SPECIALIST = "leading_specialist", _("leading specialist")
    ACCOUNTANT = "accountant", _("chief accountant")
    LAND_SPECIALIST = "land_specialist", _("land relations specialist")
    MILITARY_REGISTRAR = "military_registrar", _("military registration specialist")
    SOCIAL_WORKER = "social_worker", _("social worker")
    TECHNICAL = "technical", _("technical staff")


class StaffPosition(models.Model):
    """A post in a rural akimat. Vacant when nobody holds it; abolished posts are kept for the history."""

    rural_unit = models.ForeignKey(
        "territory.Territory",
        on_delete=models.PROTECT,
        related_name="staff_positions",
        verbose_name=_("rural unit"),
    )
    kind = models.CharField(_("post"), max_length=32, choices=PositionKind.choices)
    category = models.ForeignKey(
        PostCategory, on_delete=models.PROTECT, related_name="positions", verbose_name=_("category")
    )
    holder_name = models.CharField(_("holder"), max_length=200, blank=True)
    filled_since = models.DateField(_("filled since"), null=True, blank=True)
    created_on = models.DateField(_("created on"))
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True)

    class Meta:
        ordering = ["rural_unit", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(holder_name="", filled_since__isnull=True)
                | (~Q(holder_name="") & Q(filled_since__isnull=False)),
                name="training_a_filled_position_has_a_date",
            )
        ]
        verbose_name = _("staff position")
        verbose_name_plural = _("staff positions")

    def __str__(self) -> str:
        return f"{self.rural_unit_id} · {self.kind}"

    @property
    def is_filled(self) -> bool:
        return bool(self.holder_name)


class StaffChangeKind(models.TextChoices):
    CREATED = "created", _("position created")
    FILLED = "filled", _("appointed")
    VACATED = "vacated", _("left the post")
    RECATEGORISED = "recategorised", _("category changed")
    ABOLISHED = "abolished", _("position abolished")


class StaffChange(models.Model):
    position = models.ForeignKey(
        StaffPosition, on_delete=models.PROTECT, related_name="changes", verbose_name=_("position")
    )
    # Copied from the position so that summaries filter by KATO prefix without a join.
    rural_unit = models.ForeignKey("territory.Territory", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("change"), max_length=16, choices=StaffChangeKind.choices)
    on = models.DateField(_("date"))
    category = models.ForeignKey(
        PostCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["on"], name="training_staffchange_on_idx")]
        verbose_name = _("staff change")
        verbose_name_plural = _("staff changes")

    def __str__(self) -> str:
        return f"{self.position_id} · {self.kind} · {self.on:%Y-%m-%d}"


# --- Instructions with deadlines ------------------------------------------------------------------


class Body(models.Model):
    """A state body that issues or receives instructions: the Head of State, the Government, an agency..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_kk = models.CharField(_("name in Kazakh"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("state body")
        verbose_name_plural = _("state bodies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class InstructionStatus(models.TextChoices):
    OPEN = "open", _("open")
    REPORTED = "reported", _("reported")
    ACCEPTED = "accepted", _("accepted")
    OVERDUE = "overdue", _("overdue")


class DeadlineRule(models.TextChoices):
    DATE = "date", _("by a set date")
    WITHIN_A_MONTH = "month", _("within a month")


class Instruction(models.Model):
    number = models.CharField(_("number"), max_length=40, unique=True)
    issuer = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="issued", verbose_name=_("issuer")
    )
    title_kk = models.CharField(_("title in Kazakh"), max_length=300)
    title_ru = models.CharField(_("title in Russian"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300)
    text_kk = models.TextField(_("text in Kazakh"))
    text_ru = models.TextField(_("text in Russian"))
    text_en = models.TextField(_("text in English"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    issued_on = models.DateField(_("issued on"))
    deadline_rule = models.CharField(_("deadline rule"), max_length=8, choices=DeadlineRule.choices)
    deadline = models.DateField(_("deadline"))
    # Kept in step with the assignees' statuses by the services and `esep tick`, for filtering.
    status = models.CharField(
        _("status"), max_length=16, choices=InstructionStatus.choices, default=InstructionStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("issued_on")), name="training_deadline_after_issue"
            )
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="training_instr_status_idx")]
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def text(self) -> str:
        return in_language(self, "text")


class AssigneeKind(models.TextChoices):
    BODY = "body", _("state body")
    REGION = "region", _("region")
    AKIM = "akim", _("akim")


class Assignment(models.Model):
    """One assignee of an instruction: a body, a region (its akimat) or the akim of a unit."""

    instruction = models.ForeignKey(
        Instruction, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("instruction")
    )
    kind = models.CharField(_("assignee kind"), max_length=8, choices=AssigneeKind.choices)
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("body"),
    )
    territory = models.ForeignKey(
        "territory.Territory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instruction_assignments",
        verbose_name=_("territory"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=InstructionStatus.choices, default=InstructionStatus.OPEN
    )
    reported_at = models.DateTimeField(_("final report filed at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # Set once, by the tick that escalated the assignment; the conditional UPDATE on it is the claim.
    overdue_at = models.DateTimeField(_("overdue since"), null=True, blank=True)
    escalation_claim = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        ordering = ["instruction", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="body", body__isnull=False, territory__isnull=True)
                | (~Q(kind="body") & Q(body__isnull=True, territory__isnull=False)),
                name="training_assignee_is_a_body_or_a_territory",
            ),
            models.UniqueConstraint(
                fields=["instruction", "body"],
                condition=Q(body__isnull=False),
                name="training_body_assigned_once",
            ),
            models.UniqueConstraint(
                fields=["instruction", "territory"],
                condition=Q(territory__isnull=False),
                name="training_territory_assigned_once",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="training_assignment_status_idx")]
        verbose_name = _("assignee")
        verbose_name_plural = _("assignees")

    def __str__(self) -> str:
        return f"{self.instruction_id} · {self.kind} · {self.body_id or self.territory_id}"

    @property
    def kato(self) -> str:
        """The territory that scopes who reports for this assignee; "" for a body (the whole country)."""
        return self.territory.kato if self.territory_id else ""


class ReportDecision(models.TextChoices):
    PENDING = "", _("awaiting review")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned for more work")


class ProgressReport(models.Model):
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("assignee")
    )
    text = models.TextField(_("report"))
    is_final = models.BooleanField(_("final report"), default=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    decision = models.CharField(_("decision"), max_length=16, choices=ReportDecision.choices, blank=True)
    decision_note = models.TextField(_("reviewer's note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["filed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_final=True) | Q(decision=""), name="training_only_final_reports_are_decided"
            )
        ]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.filed_at:%Y-%m-%d}"


class NotificationKind(models.TextChoices):
    REMINDER_WEEK = "reminder_week", _("reminder: a week to the deadline")
    REMINDER_DAY = "reminder_day", _("reminder: the deadline is tomorrow or today")
    ESCALATION = "escalation", _("overdue: escalated")


class Notification(models.Model):
    """A message to everyone holding `audience_role` over `audience_kato` ("" = nationwide grants only).

    There is no e-mail yet: the rows are the outbox, shown on the notifications page. One row per assignee and
    kind (a unique constraint), so a reminder or an escalation exists at most once.
    """

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("assignee")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    audience_role = models.CharField(_("to role"), max_length=32)
    audience_kato = models.CharField(_("in territory"), max_length=9, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "kind"], name="training_notify_once_per_kind")
        ]
        indexes = [models.Index(fields=["audience_role", "audience_kato"], name="training_notify_aud_idx")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} · {self.assignment_id}"
