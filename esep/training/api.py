"""Training API: courses, sessions, enrolments (scoped), akims' competence profiles, staff, instructions."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from esep.api.access import api_public, api_requires
from esep.api.pagination import Pages
from esep.api.territory import territory_filter
from esep.core.errors import ApplicationError
from esep.elections.models import Mandate
from esep.territory.models import Level, Territory
from esep.training import selectors, services
from esep.training.models import (
    Assignment,
    Course,
    Enrolment,
    EnrolmentStatus,
    Instruction,
    InstructionStatus,
    ProgressReport,
    Session,
)
from esep.training.permissions import scope_prefixes

router = Router(tags=["training"])
MAX_UNITS = 3000


@contextmanager
def in_own_territory() -> Iterator[None]:
    """A service's territory refusal as the API's JSON 403 (raised here, not left to the root handlers)."""
    try:
        yield
    except PermissionDenied:
        raise HttpError(403, _("You do not have the right to do this.")) from None


class ModuleOut(Schema):
    code: str
    name_kk: str
    name_ru: str
    name_en: str
    required: bool


class CourseOut(Schema):
    code: str
    title_kk: str
    title_ru: str
    title_en: str
    provider: str = Field(..., alias="provider.code")
    provider_name: str = Field(..., alias="provider.name")
    modules: list[str]
    hours: int
    pass_score: int
    is_foundation: bool

    @staticmethod
    def resolve_modules(course: Course) -> list[str]:
        return [module.code for module in course.modules.all()]


class SessionOut(Schema):
    id: int
    course: str = Field(..., alias="course.code")
    starts_on: date
    ends_on: date
    place: str
    region: str | None = Field(None, alias="region.kato")
    mode: str
    capacity: int | None
    enrolled: int = Field(..., alias="taken")
    completed: int


class EnrolmentOut(Schema):
    id: int
    session: int = Field(..., alias="session_id")
    course: str = Field(..., alias="session.course.code")
    person_id: int
    person: str = Field(..., alias="person.full_name")
    rural_unit: str = Field(..., alias="rural_unit.kato")
    status: str
    score: int | None
    completed_on: date | None
    certificate_number: str | None
    enrolled_at: datetime


class EnrolIn(Schema):
    session: int
    units: list[str] = Field(
        ..., min_length=1, max_length=MAX_UNITS, description="KATO codes of the akims' units"
    )


class EnrolOut(Schema):
    enrolled: list[int]
    already_enrolled: int
    already_completed: int


class ResultIn(Schema):
    score: int = Field(..., ge=0, le=100)
    completed_on: date


class HeldOut(Schema):
    module: str
    acquired_on: date
    course: str


class PathStepOut(Schema):
    course: str
    closes: list[str]
    enrolled: bool
    next_session: int | None


class ProfileOut(Schema):
    person_id: int
    name: str
    rural_unit: str | None
    first_time: bool
    civil_service_years: int
    akim_post_category: str | None
    required_modules: int
    held: list[HeldOut]
    gaps: list[str]
    path_recommended: bool
    path: list[PathStepOut]
    uncovered: list[str]
    enrolments: list[EnrolmentOut]


class StaffOut(Schema):
    territory: str | None
    positions: int
    filled: int
    vacant: int
    civil_service: int
    by_category: list[dict]
    by_year: list[dict]


class ModuleShareOut(Schema):
    module: str = Field(..., alias="module.code")
    required: bool = Field(..., alias="module.required")
    trained: int
    share: float | None = Field(None, description="trained / sitting akims, null when there are none")


class AkimGapOut(Schema):
    person_id: int
    name: str = Field(..., alias="person.full_name")
    rural_unit: str = Field(..., alias="rural_unit.kato")
    first_time: bool
    civil_service_years: int = Field(..., alias="person.civil_service_years")
    held: int = Field(..., description="required modules completed")
    gap: int = Field(..., description="required modules not completed")


class OverviewFilters(Schema):
    territory: str | None = Field(
        None, pattern=r"^[0-9]{9}$", description="KATO code of a region or district; none: the whole country"
    )
    first_time: bool | None = Field(
        None, description="only akims in their first mandate (or only the others)"
    )
    no_civil_service: bool | None = Field(None, description="only akims never in the civil service before")
    lacking: str | None = Field(None, max_length=40, description="only akims lacking this module (its code)")


class OverviewOut(Schema):
    territory: str | None
    akims: int = Field(..., description="sitting akims in the territory")
    required_modules: int
    shares: list[ModuleShareOut]
    count: int = Field(..., description="akims matching the filters")
    items: list[AkimGapOut] = Field(..., description="one page of them, largest gap first")


class AssigneeOut(Schema):
    id: int
    kind: str
    body: str | None = Field(None, alias="body.code")
    territory: str | None = Field(None, alias="territory.kato")
    status: str
    reported_at: datetime | None
    accepted_at: datetime | None
    overdue_at: datetime | None


class InstructionOut(Schema):
    id: int
    number: str
    issuer: str = Field(..., alias="issuer.code")
    title_kk: str
    title_ru: str
    title_en: str
    issued_on: date
    deadline_rule: str
    deadline: date
    status: str
    source: str


class InstructionDetailOut(InstructionOut):
    text_kk: str
    text_ru: str
    text_en: str
    assignees: list[AssigneeOut]

    @staticmethod
    def resolve_assignees(instruction: object) -> list:
        return list(instruction.assignments.all())  # type: ignore[attr-defined]


class ReportOut(Schema):
    id: int
    assignee: int = Field(..., alias="assignment_id")
    text: str
    is_final: bool
    filed_at: datetime
    decision: str
    decision_note: str
    decided_at: datetime | None


class ReportIn(Schema):
    text: str = Field(..., min_length=1, max_length=10000)
    is_final: bool = False


class ReviewIn(Schema):
    accept: bool
    note: str = Field("", max_length=5000)


# --- Catalogue ------------------------------------------------------------------------------------


@router.get("/training/modules", response=list[ModuleOut], summary="Modules of the competence profile")
@api_public
def module_list(request):
    return selectors.modules()


@router.get("/training/courses", response=list[CourseOut], summary="Courses offered")
@api_public
@paginate(Pages)
def course_list(request):
    return selectors.catalogue()


@router.get("/training/courses/{code}", response=CourseOut, summary="One course")
@api_public
def course_detail(request, code: str):
    return selectors.course_get(code)


@router.get("/training/sessions", response=list[SessionOut], summary="Sessions, latest first")
@api_public
@paginate(Pages)
def session_list(
    request,
    course: str | None = Query(None, max_length=40),
    region: str | None = Query(None, pattern=r"^[0-9]{9}$"),
    starts_from: date | None = None,
):
    return selectors.sessions(course=course, region=region, starts_from=starts_from)


@router.get("/training/sessions/{session_id}", response=SessionOut, summary="One session")
@api_public
def session_detail(request, session_id: int):
    return selectors.session_get(session_id)


# --- Enrolments -----------------------------------------------------------------------------------


@router.get("/training/enrolments", response=list[EnrolmentOut], summary="Enrolments in your territory")
@api_requires("training.enrol")
@paginate(Pages)
def enrolment_list(request, session: int | None = None, status: EnrolmentStatus | None = None):
    return selectors.enrolments(
        prefixes=scope_prefixes(request.user, "training.enrol"), session_id=session, status=status
    )


@router.post(
    "/training/enrolments", response=EnrolOut, summary="Enrol the sitting akims of units in a session"
)
@api_requires("training.enrol")
def enrolment_create(request, payload: EnrolIn):
    session = get_object_or_404(Session.objects.select_related("region"), pk=payload.session)
    codes = list(dict.fromkeys(payload.units))
    mandates = {
        m.rural_unit.kato: m
        for m in Mandate.objects.current().filter(rural_unit__kato__in=codes).select_related("rural_unit")
    }
    missing = [code for code in codes if code not in mandates]
    if missing:
        raise ApplicationError(
            _("No sitting akim in: %(codes)s") % {"codes": ", ".join(missing[:20])},
            code="invalid",
            extra={"units": missing},
        )
    with in_own_territory():
        result = services.enrolment_bulk_create(
            session=session, mandates=[mandates[code] for code in codes], actor=request.user
        )
    return {
        "enrolled": sorted(e.pk for e in result.enrolled),
        "already_enrolled": result.already_enrolled,
        "already_completed": result.already_completed,
    }


@router.post("/training/enrolments/{enrolment_id}/result", response=EnrolmentOut, summary="Record a result")
@api_requires("training.manage")
def enrolment_result(request, enrolment_id: int, payload: ResultIn):
    enrolment = get_object_or_404(Enrolment.objects.select_related("rural_unit"), pk=enrolment_id)
    with in_own_territory():
        services.enrolment_complete(
            enrolment=enrolment, score=payload.score, completed_on=payload.completed_on, actor=request.user
        )
    return Enrolment.objects.select_related("person", "rural_unit", "session__course").get(pk=enrolment_id)


# --- Akims and staff ------------------------------------------------------------------------------


@router.get("/training/akims/{person_id}", response=ProfileOut, summary="An akim's competence profile")
@api_public
def akim_profile(request, person_id: int):
    profile = selectors.akim_profile(person_id)
    return {
        "person_id": profile.person.pk,
        "name": profile.person.full_name,
        "rural_unit": profile.mandate.rural_unit.kato if profile.mandate else None,
        "first_time": profile.first_time,
        "civil_service_years": profile.person.civil_service_years,
        "akim_post_category": profile.akim_post.category.code if profile.akim_post else None,
        "required_modules": profile.required_count,
        "held": [
            {"module": c.module.code, "acquired_on": c.acquired_on, "course": c.enrolment.session.course.code}
            for c in profile.held
        ],
        "gaps": [m.code for m in profile.gaps],
        "path_recommended": profile.path_recommended,
        "path": [
            {
                "course": step.course.code,
                "closes": [m.code for m in step.closes],
                "enrolled": step.enrolment is not None,
                "next_session": step.next_session.pk if step.next_session else None,
            }
            for step in profile.path
        ],
        "uncovered": [m.code for m in profile.uncovered],
        "enrolments": profile.enrolments,
    }


@router.get(
    "/training/staff", response=StaffOut, summary="Civil-service posts and akimat staff in a territory"
)
@api_public
def staff_summary(request, territory: str | None = Query(None, pattern=r"^[0-9]{9}$")):
    area = None
    if territory:
        area = get_object_or_404(Territory, kato=territory)
        if area.level == Level.SETTLEMENT:
            raise HttpError(400, _("Staff are counted for units, districts, regions and the country."))
    prefix = selectors.prefix_of(area)
    total = selectors.staff_total(prefix)
    return {
        "territory": area.kato if area else None,
        "positions": total.positions,
        "filled": total.filled,
        "vacant": total.vacant,
        "civil_service": total.civil_service,
        "by_category": [
            {
                "category": row.category.code,
                "corps": row.category.corps,
                "akim_posts": row.akim_posts,
                "positions": row.positions,
                "filled": row.filled,
            }
            for row in selectors.staff_by_category(prefix)
        ],
        "by_year": [year.__dict__ for year in selectors.staff_changes_by_year(prefix)],
    }


@router.get(
    "/training/overview",
    response=OverviewOut,
    summary="Share of sitting akims trained per module, and the akims ranked by gap",
)
@api_public
def overview(request, filters: Query[OverviewFilters], pages: Query[Pages.Input]):
    area = territory_filter(filters.territory, levels=(Level.REGION, Level.DISTRICT))
    prefix = selectors.prefix_of(area)
    shares = selectors.module_shares(prefix)
    lacking = None
    if filters.lacking:
        lacking = next((s.module for s in shares if s.module.code == filters.lacking), None)
        if lacking is None:
            raise HttpError(400, _("Unknown module %(code)s.") % {"code": filters.lacking})
    required_count = selectors.required_module_count()
    rows = selectors.akims_by_gap(
        prefix,
        required_count=required_count,
        first_time=filters.first_time,
        no_civil_service=filters.no_civil_service,
        lacking=lacking,
    )
    return {
        "territory": area.kato if area else None,
        "akims": shares[0].akims if shares else 0,
        "required_modules": required_count,
        "shares": shares,
        **Pages().paginate_queryset(rows, pages, request),
    }


# --- Instructions ---------------------------------------------------------------------------------


@router.get("/training/instructions", response=list[InstructionOut], summary="Instructions with deadlines")
@api_public
@paginate(Pages)
def instruction_list(
    request,
    status: InstructionStatus | None = None,
    overdue: bool | None = None,
    issuer: str | None = Query(None, max_length=40),
    territory: str | None = Query(None, pattern=r"^[0-9]{9}$"),
):
    prefix = None
    if territory:
        prefix = get_object_or_404(Territory, kato=territory).code_prefix
    return selectors.instructions(status=status, overdue=overdue, issuer=issuer, territory=prefix)


@router.get(
    "/training/instructions/{instruction_id}", response=InstructionDetailOut, summary="One instruction"
)
@api_public
def instruction_detail(request, instruction_id: int):
    return selectors.instruction_get(instruction_id)


@router.get(
    "/training/instructions/{instruction_id}/reports",
    response=list[ReportOut],
    summary="Reports on an instruction",
)
@api_public
def instruction_reports(request, instruction_id: int):
    get_object_or_404(Instruction, pk=instruction_id)
    return ProgressReport.objects.filter(assignment__instruction_id=instruction_id).order_by("filed_at", "pk")


@router.post("/training/assignees/{assignee_id}/reports", response=ReportOut, summary="File a report")
@api_requires("instructions.report")
def report_create(request, assignee_id: int, payload: ReportIn):
    assignment = get_object_or_404(Assignment.objects.select_related("territory"), pk=assignee_id)
    with in_own_territory():
        return services.report_file(
            assignment=assignment, text=payload.text, is_final=payload.is_final, actor=request.user
        )


@router.post(
    "/training/reports/{report_id}/review", response=ReportOut, summary="Accept or return a final report"
)
@api_requires("instructions.issue")
def report_review(request, report_id: int, payload: ReviewIn):
    report = get_object_or_404(ProgressReport, pk=report_id)
    with in_own_territory():
        return services.report_review(
            report=report, accept=payload.accept, note=payload.note, actor=request.user
        )
