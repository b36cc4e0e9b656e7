"""Reads of the training app. Each function runs a fixed number of queries whatever the number of rows."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear, Substr
from django.http import Http404
from django.utils import timezone

from esep.core.access import user_grants
from esep.core.kato import kato_within
from esep.elections import selectors as election_selectors
from esep.elections.models import Mandate, Person
from esep.territory.models import Level, Territory
from esep.training.models import (
    AkimPost,
    Assignment,
    Competence,
    Course,
    Enrolment,
    EnrolmentStatus,
    Instruction,
    InstructionStatus,
    Module,
    Notification,
    PostCategory,
    ProgressReport,
    Session,
    StaffChange,
    StaffChangeKind,
    StaffPosition,
)
from esep.training.paths import CourseCover, Path, recommended_path

_ACTIVE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED)


def prefix_of(territory: Territory | None) -> str:
    return territory.code_prefix if territory is not None else ""


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# --- Catalogue ------------------------------------------------------------------------------------


def modules() -> list[Module]:
    return list(Module.objects.all())


def catalogue(*, today: date | None = None) -> QuerySet[Course]:
    """Offered courses with their provider, modules and the number of sessions not yet over: two queries."""
    today = today or timezone.localdate()
    return (
        Course.objects.filter(is_active=True)
        .select_related("provider")
        .prefetch_related("modules")
        .annotate(upcoming=Count("sessions", filter=Q(sessions__ends_on__gte=today)))
        .order_by("-is_foundation", "provider__code", "code")
    )


def _sessions_with_counts() -> QuerySet[Session]:
    return Session.objects.select_related("course__provider", "region").annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=_ACTIVE)),
        completed=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.COMPLETED)),
    )


def course_get(code: str) -> Course:
    course = Course.objects.select_related("provider").prefetch_related("modules").filter(code=code).first()
    if course is None:
        raise Http404(code)
    return course


def course_sessions(course: Course) -> QuerySet[Session]:
    return _sessions_with_counts().filter(course=course).order_by("-starts_on", "-pk")


def sessions(
    *, course: str | None = None, region: str | None = None, starts_from: date | None = None
) -> QuerySet[Session]:
    rows = _sessions_with_counts().order_by("-starts_on", "-pk")
    if course:
        rows = rows.filter(course__code=course)
    if region:
        rows = rows.filter(region__kato=region)
    if starts_from:
        rows = rows.filter(starts_on__gte=starts_from)
    return rows


def session_get(session_id: int) -> Session:
    session = _sessions_with_counts().filter(pk=session_id).first()
    if session is None:
        raise Http404(session_id)
    return session


def session_enrolments(session: Session) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(session=session)
        .select_related("person", "rural_unit__parent")
        .order_by("rural_unit__kato", "pk")
    )


def enrolments(
    *, prefixes: list[str] | None, session_id: int | None = None, status: str | None = None
) -> QuerySet:
    """Enrolments in the given KATO prefixes (None: the whole country)."""
    rows = Enrolment.objects.select_related("person", "rural_unit", "session__course").order_by(
        "-enrolled_at", "-pk"
    )
    if prefixes is not None:
        condition = Q(pk__in=[])
        for prefix in prefixes:
            condition |= kato_within("rural_unit__kato", prefix)
        rows = rows.filter(condition)
    if session_id:
        rows = rows.filter(session_id=session_id)
    if status:
        rows = rows.filter(status=status)
    return rows


def certificate_get(number: str) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(certificate_number=number, status=EnrolmentStatus.COMPLETED)
        .select_related("person", "rural_unit__parent__parent", "session__course__provider")
        .prefetch_related("session__course__modules")
        .first()
    )
    if enrolment is None:
        raise Http404(number)
    return enrolment


# --- Competence profile ---------------------------------------------------------------------------


@dataclass
class PathStep:
    course: Course
    closes: list[Module]
    enrolment: Enrolment | None = None
    next_session: Session | None = None


@dataclass
class AkimProfile:
    person: Person
    mandate: Mandate | None
    first_time: bool
    no_civil_service: bool
    akim_post: AkimPost | None
    enrolments: list[Enrolment]
    held: list[Competence]
    gaps: list[Module]
    required_count: int
    path: list[PathStep] = field(default_factory=list)
    uncovered: list[Module] = field(default_factory=list)

    @property
    def path_recommended(self) -> bool:
        """A recommended path is offered to akims new to the post or to the civil service."""
        return self.first_time or self.no_civil_service

    @property
    def held_required(self) -> int:
        return self.required_count - len(self.gaps)


def _open_enrolments(enrolments: list[Enrolment]) -> dict[int, Enrolment]:
    return {e.session.course_id: e for e in enrolments if e.status == EnrolmentStatus.ENROLLED}


def akim_profile(person_id: int, *, today: date | None = None) -> AkimProfile:
    """An akim's training record, competences, gaps and recommended path: nine queries."""
    today = today or timezone.localdate()
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404(person_id)
    mandates = list(
        person.mandates.select_related("rural_unit__parent__parent").order_by("-starts_on", "-pk")
    )
    current = next((m for m in mandates if m.ended_on is None), None)
    # First time: no earlier mandate anywhere (as in the elections app).
    first_time = current is not None and not any(m.starts_on < current.starts_on for m in mandates)
    post = (
        AkimPost.objects.select_related("category").filter(rural_unit_id=current.rural_unit_id).first()
        if current
        else None
    )
    enrolment_rows = list(
        person.training_enrolments.select_related("session__course__provider", "rural_unit").order_by(
            "-session__starts_on", "-pk"
        )
    )
    held = list(
        Competence.objects.filter(person=person).select_related("module", "enrolment__session__course")
    )
    all_modules = modules()
    held_ids = {c.module_id for c in held}
    required = [m for m in all_modules if m.required]
    gaps = [m for m in required if m.pk not in held_ids]
    profile = AkimProfile(
        person=person,
        mandate=current,
        first_time=first_time,
        no_civil_service=person.civil_service_years == 0,
        akim_post=post,
        enrolments=enrolment_rows,
        held=held,
        gaps=gaps,
        required_count=len(required),
    )
    if gaps:
        _fill_path(profile, all_modules, today)
    return profile


def _fill_path(profile: AkimProfile, all_modules: list[Module], today: date) -> None:
    courses = list(
        Course.objects.filter(is_active=True).select_related("provider").prefetch_related("modules")
    )
    by_id = {course.pk: course for course in courses}
    covers = [
        CourseCover(
            course_id=course.pk,
            code=course.code,
            modules=frozenset(m.pk for m in course.modules.all()),
            hours=course.hours,
            is_foundation=course.is_foundation,
        )
        for course in courses
    ]
    gap_ids = {m.pk for m in profile.gaps}
    path: Path = recommended_path(gap_ids, covers, foundation_first=profile.path_recommended)
    module_by_id = {m.pk: m for m in all_modules}
    step_ids = [step.course_id for step in path.steps]
    next_sessions: dict[int, Session] = {}
    for session in Session.objects.filter(course_id__in=step_ids, ends_on__gte=today).order_by(
        "starts_on", "pk"
    ):
        next_sessions.setdefault(session.course_id, session)
    open_by_course = _open_enrolments(profile.enrolments)
    remaining = set(gap_ids)
    for step in path.steps:
        closes = sorted(
            (module_by_id[i] for i in step.modules & remaining), key=lambda m: (m.position, m.code)
        )
        remaining -= step.modules
        profile.path.append(
            PathStep(
                course=by_id[step.course_id],
                closes=closes,
                enrolment=open_by_course.get(step.course_id),
                next_session=next_sessions.get(step.course_id),
            )
        )
    profile.uncovered = [
        module_by_id[i] for i in sorted(path.uncovered, key=lambda i: module_by_id[i].position)
    ]


def current_akim_summary(unit: Territory) -> tuple[Mandate | None, list[Module], list[Module]]:
    """The sitting akim of a unit with the required modules they hold and lack: three queries."""
    mandate = election_selectors.current_mandate(unit)
    required = [m for m in modules() if m.required]
    if mandate is None:
        return None, [], required
    held_ids = set(
        Competence.objects.filter(person_id=mandate.person_id, module__required=True).values_list(
            "module_id", flat=True
        )
    )
    return mandate, [m for m in required if m.pk in held_ids], [m for m in required if m.pk not in held_ids]


# --- Territory summaries of training --------------------------------------------------------------


@dataclass(frozen=True)
class ModuleShare:
    module: Module
    trained: int
    akims: int

    @property
    def share(self) -> float | None:
        return _share(self.trained, self.akims)

    @property
    def percent(self) -> int:
        return round((self.share or 0) * 100)


def module_shares(prefix: str) -> list[ModuleShare]:
    """For each module, how many of the sitting akims under `prefix` hold it: three queries."""
    akims = Mandate.objects.current().within(prefix).count()
    trained = dict(
        Competence.objects.filter(
            kato_within("person__mandates__rural_unit__kato", prefix), person__mandates__ended_on__isnull=True
        )
        .values("module_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("module_id", "n")
    )
    return [ModuleShare(module=m, trained=trained.get(m.pk, 0), akims=akims) for m in modules()]


def required_module_count() -> int:
    return Module.objects.filter(required=True).count()


def akims_by_gap(
    prefix: str,
    *,
    required_count: int,
    first_time: bool | None = None,
    no_civil_service: bool | None = None,
    lacking: Module | None = None,
) -> QuerySet[Mandate]:
    """Sitting akims under `prefix`, largest gap first, annotated with `held` and `gap`: one query a page."""
    held = (
        Competence.objects.filter(person_id=OuterRef("person_id"), module__required=True)
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        election_selectors.akims(prefix=prefix, first_time=first_time, no_civil_service=no_civil_service)
        .annotate(held=Coalesce(Subquery(held, output_field=IntegerField()), Value(0)))
        .annotate(gap=Value(required_count) - F("held"))
        .order_by("-gap", "rural_unit__kato")
    )
    if lacking is not None:
        rows = rows.exclude(person__competences__module=lacking)
    return rows


# --- Civil-service staff --------------------------------------------------------------------------


@dataclass
class StaffCounts:
    positions: int = 0
    filled: int = 0
    civil_service: int = 0

    @property
    def vacant(self) -> int:
        return self.positions - self.filled

    @property
    def vacancy_rate(self) -> float | None:
        return _share(self.vacant, self.positions)


def _positions(prefix: str) -> QuerySet[StaffPosition]:
    return StaffPosition.objects.filter(kato_within("rural_unit__kato", prefix), abolished_on__isnull=True)


_CIVIL = Q(category__corps__in=["political", "admin_a", "admin_b"])


def staff_counts_by_prefix(prefix: str, child_length: int) -> dict[str, StaffCounts]:
    """Positions, filled and civil-service posts under each child code prefix: one query."""
    rows = (
        _positions(prefix)
        .annotate(child=Substr("rural_unit__kato", 1, child_length))
        .values("child")
        .annotate(
            positions=Count("pk"),
            filled=Count("pk", filter=~Q(holder_name="")),
            civil=Count("pk", filter=_CIVIL),
        )
    )
    return {r["child"]: StaffCounts(r["positions"], r["filled"], r["civil"]) for r in rows}


def staff_total(prefix: str) -> StaffCounts:
    row = _positions(prefix).aggregate(
        positions=Count("pk"), filled=Count("pk", filter=~Q(holder_name="")), civil=Count("pk", filter=_CIVIL)
    )
    return StaffCounts(row["positions"], row["filled"], row["civil"])


@dataclass(frozen=True)
class CategoryCount:
    category: PostCategory
    positions: int
    filled: int
    akim_posts: int


def staff_by_category(prefix: str) -> list[CategoryCount]:
    """Positions and akims' posts per category: three queries."""
    positions = {
        r["category_id"]: r
        for r in _positions(prefix)
        .values("category_id")
        .annotate(n=Count("pk"), filled=Count("pk", filter=~Q(holder_name="")))
    }
    akim_posts = dict(
        AkimPost.objects.filter(kato_within("rural_unit__kato", prefix))
        .values("category_id")
        .annotate(n=Count("pk"))
        .values_list("category_id", "n")
    )
    return [
        CategoryCount(
            category=category,
            positions=positions.get(category.pk, {}).get("n", 0),
            filled=positions.get(category.pk, {}).get("filled", 0),
            akim_posts=akim_posts.get(category.pk, 0),
        )
        for category in PostCategory.objects.all()
        if category.pk in positions or category.pk in akim_posts
    ]


@dataclass(frozen=True)
class YearChanges:
    year: int
    filled: int = 0
    vacated: int = 0
    created: int = 0
    abolished: int = 0
    recategorised: int = 0


def staff_changes_by_year(prefix: str) -> list[YearChanges]:
    """Appointments, departures and other changes per year under `prefix`: one query."""
    rows = (
        StaffChange.objects.filter(kato_within("rural_unit__kato", prefix))
        .annotate(year=ExtractYear("on"))
        .values("year", "kind")
        .annotate(n=Count("pk"))
    )
    by_year: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        by_year[row["year"]][row["kind"]] = row["n"]
    return [
        YearChanges(
            year=year,
            filled=kinds.get(StaffChangeKind.FILLED, 0),
            vacated=kinds.get(StaffChangeKind.VACATED, 0),
            created=kinds.get(StaffChangeKind.CREATED, 0),
            abolished=kinds.get(StaffChangeKind.ABOLISHED, 0),
            recategorised=kinds.get(StaffChangeKind.RECATEGORISED, 0),
        )
        for year, kinds in sorted(by_year.items())
    ]


def unit_positions(unit: Territory) -> list[StaffPosition]:
    return list(
        StaffPosition.objects.filter(rural_unit=unit)
        .select_related("category")
        .order_by("abolished_on", "kind", "pk")
    )


def unit_changes(unit: Territory, limit: int = 50) -> list[StaffChange]:
    return list(
        StaffChange.objects.filter(rural_unit=unit)
        .select_related("position", "category")
        .order_by("-on", "-pk")[:limit]
    )


def akim_post(unit: Territory) -> AkimPost | None:
    return AkimPost.objects.select_related("category").filter(rural_unit=unit).first()


def child_territories(territory: Territory | None) -> list[Territory]:
    if territory is None:
        return list(Territory.objects.regions().order_by("kato"))
    if territory.level == Level.DISTRICT:
        return list(territory.children.filter(has_elected_akim=True).order_by("kato"))
    return list(territory.children.filter(level=Level.DISTRICT).order_by("kato"))


def child_length(territory: Territory | None) -> int:
    if territory is None:
        return 2
    return {Level.REGION: 4, Level.DISTRICT: 6}.get(territory.level, 9)


# --- Instructions ---------------------------------------------------------------------------------


def overdue_q(today: date) -> Q:
    """Overdue: flagged by the tick, or open past the deadline and not yet seen by a tick."""
    return Q(status=InstructionStatus.OVERDUE) | Q(status=InstructionStatus.OPEN, deadline__lt=today)


def instructions(
    *,
    status: str | None = None,
    overdue: bool | None = None,
    issuer: str | None = None,
    territory: str | None = None,
    today: date | None = None,
) -> QuerySet[Instruction]:
    today = today or timezone.localdate()
    rows = (
        Instruction.objects.select_related("issuer")
        .annotate(
            assignees=Count("assignments", distinct=True),
            accepted=Count(
                "assignments", filter=Q(assignments__status=InstructionStatus.ACCEPTED), distinct=True
            ),
        )
        .order_by("-issued_on", "-pk")
    )
    if status:
        rows = rows.filter(status=status)
    if overdue is True:
        rows = rows.filter(overdue_q(today))
    elif overdue is False:
        rows = rows.exclude(overdue_q(today))
    if issuer:
        rows = rows.filter(issuer__code=issuer)
    if territory:
        # Instructions addressed to this territory or to anything inside it.
        rows = rows.filter(
            pk__in=Assignment.objects.filter(kato_within("territory__kato", territory)).values(
                "instruction_id"
            )
        )
    return rows


def instruction_get(instruction_id: int) -> Instruction:
    """An instruction with its assignees, their reports and notifications: four queries."""
    instruction = (
        Instruction.objects.select_related("issuer", "created_by")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("body", "territory").order_by("kind", "pk"),
            ),
            Prefetch(
                "assignments__reports",
                queryset=ProgressReport.objects.select_related("filed_by", "decided_by").order_by(
                    "filed_at", "pk"
                ),
            ),
            Prefetch(
                "assignments__notifications", queryset=Notification.objects.order_by("created_at", "pk")
            ),
        )
        .filter(pk=instruction_id)
        .first()
    )
    if instruction is None:
        raise Http404(instruction_id)
    return instruction


@dataclass(frozen=True)
class TimelineEvent:
    at: Any
    kind: str
    assignment: Assignment | None = None
    report: ProgressReport | None = None
    notification: Notification | None = None


def timeline(instruction: Instruction) -> list[TimelineEvent]:
    """Issue, reports, reviews, reminders and escalations in time order, from the prefetched rows."""
    events = [TimelineEvent(at=instruction.issued_on, kind="issued")]
    for assignment in instruction.assignments.all():
        for report in assignment.reports.all():
            events.append(
                TimelineEvent(at=report.filed_at, kind="report", assignment=assignment, report=report)
            )
            if report.decided_at:
                events.append(
                    TimelineEvent(at=report.decided_at, kind="review", assignment=assignment, report=report)
                )
        for notification in assignment.notifications.all():
            events.append(
                TimelineEvent(
                    at=notification.created_at,
                    kind="notification",
                    assignment=assignment,
                    notification=notification,
                )
            )
    events.append(TimelineEvent(at=instruction.deadline, kind="deadline"))

    def sort_key(event: TimelineEvent) -> tuple:
        at = event.at
        day = timezone.localdate(at) if hasattr(at, "hour") else at
        return (day, 1 if event.kind == "deadline" else 0, str(at))

    return sorted(events, key=sort_key)


def notifications_for(user: Any) -> QuerySet[Notification]:
    """Notifications addressed to a role the user holds, over a territory their grant covers: one query."""
    condition = Q(pk__in=[])
    for grant in user_grants(user):
        if grant.scope is None:
            condition |= Q(audience_role=grant.role)
        else:
            condition |= Q(audience_role=grant.role) & kato_within("audience_kato", grant.scope)
    return (
        Notification.objects.filter(condition)
        .select_related("assignment__instruction", "assignment__territory", "assignment__body")
        .order_by("-created_at", "-pk")
    )
