"""Open data and actions of the programs app under /api/v1/: the checker, rule sets, plans, budgets,
programs (drafts only for their authors), the tracked promises, and publishing."""

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from esep.api.access import api_authenticated, api_public
from esep.api.pagination import Pages
from esep.api.territory import prefix_filter
from esep.core.errors import ApplicationError
from esep.powers.models import Sector
from esep.programs import selectors, services
from esep.programs.checker import CheckInputError, check_program, parse_context, parse_program
from esep.programs.models import FundingLine, Program, ProgramStatus, Promise, PromiseStatus
from esep.programs.permissions import may_draft_for
from esep.territory.models import Territory

router = Router(tags=["programs"])
KATO = r"^[0-9]{9}$"


class CheckIn(Schema):
    program: dict[str, Any] = Field(..., description="PROGRAM, as in docs/program-format.md")
    context: dict[str, Any] | None = Field(
        None, description="CONTEXT; when absent it is built from the database for the program's rural unit"
    )


class FindingOut(Schema):
    code: str
    severity: str
    promise: str | None
    message: str


class TotalsOut(Schema):
    cost_kzt: int
    funded_kzt: int
    by_source: dict[str, int]


class CheckOut(Schema):
    ok: bool
    rule_set: str
    findings: list[FindingOut]
    totals: TotalsOut


def _invalid(exc: CheckInputError, document: str) -> ApplicationError:
    path = "$." + document + exc.path[1:]
    return ApplicationError(f"{path}: {exc.message}", code="invalid_input", extra={"path": path})


@router.post("/programs/check", response=CheckOut, summary="Check a program's economic block")
@api_public
def program_check(request, payload: CheckIn):
    """Findings of the checker for `program` against `context` (or the database's context for its unit)."""
    try:
        program = parse_program(payload.program)
    except CheckInputError as exc:
        raise _invalid(exc, "program") from exc
    if payload.context is None:
        unit = Territory.objects.elected_units().filter(kato=program.rural_unit).first()
        if unit is None:
            raise ApplicationError(
                _("$.program.rural_unit: %(kato)s is not a rural unit with an elected akim.")
                % {"kato": program.rural_unit},
                code="invalid_input",
                extra={"path": "$.program.rural_unit"},
            )
        context_data = selectors.context_for_unit(unit, on=timezone.localdate())
    else:
        context_data = payload.context
    try:
        context = parse_context(context_data)
    except CheckInputError as exc:
        raise _invalid(exc, "context") from exc
    return check_program(program, context).to_dict()


class RuleSetOut(Schema):
    version: str
    effective_from: date
    parameters: dict[str, Any]
    note: str
    in_force: bool


@router.get("/rule-sets", response=list[RuleSetOut], summary="Rule sets for the economic block, newest first")
@api_public
@paginate(Pages)
def rule_set_list(request):
    in_force = selectors.rule_set_in_force(timezone.localdate())
    return [
        {
            "version": rule_set.version,
            "effective_from": rule_set.effective_from,
            "parameters": rule_set.parameters,
            "note": rule_set.note,
            "in_force": in_force is not None and rule_set.pk == in_force.pk,
        }
        for rule_set in selectors.rule_set_history()
    ]


class PlanItemOut(Schema):
    code: str
    title: str
    sector: str
    territories: list[str]
    allocations: dict[str, int]
    committed: dict[str, int]


class DevelopmentPlanOut(Schema):
    region: str = Field(..., alias="region.kato")
    title: str
    year_from: int
    year_to: int
    items: list[PlanItemOut]


@router.get("/development-plans", response=list[DevelopmentPlanOut], summary="Regional development plans")
@api_public
@paginate(Pages)
def development_plan_list(request, region: str | None = Query(None, pattern=KATO)):
    return selectors.development_plans(region=region)


class BudgetLineOut(Schema):
    unit: str = Field(..., alias="unit.kato")
    year: int
    source: str
    amount_kzt: int


@router.get("/budgets", response=list[BudgetLineOut], summary="Local budget forecasts of rural units")
@api_public
@paginate(Pages, page_size=200)
def budget_list(request, unit: str | None = Query(None, pattern=KATO), year: int | None = None):
    return selectors.budget_lines(unit=unit, year=year)


# --- Programs and promises ----------------------------------------------------------------------------------


class FundingLineOut(Schema):
    source: str
    plan_item: str
    year: int
    amount_kzt: int


class PromiseOut(Schema):
    id: int
    number: str = Field(..., alias="local_id")
    unit: str = Field(..., alias="program.rural_unit.kato")
    program: int = Field(..., alias="program_id")
    title: str
    description: str
    sector: str
    power: str | None = Field(None, alias="power.code")
    indicator_name: str
    indicator_unit: str
    indicator_baseline: float | None
    indicator_target: float | None
    deadline: date
    cost_kzt: int
    status: str
    status_reason: str
    progress: int
    spent_kzt: int
    overdue: bool
    removed_in: int | None = Field(None, alias="removed_in_id")
    funding: list[FundingLineOut]

    @staticmethod
    def resolve_overdue(obj: Promise) -> bool:
        return obj.is_overdue(timezone.localdate())

    @staticmethod
    def resolve_funding(obj: Promise) -> list[FundingLine]:
        return list(obj.funding_lines.all())


class ProgramOut(Schema):
    id: int
    unit: str = Field(..., alias="rural_unit.kato")
    candidacy: int = Field(..., alias="candidacy_id")
    candidate: str = Field(..., alias="candidacy.person.full_name")
    party: str | None = Field(None, alias="candidacy.party.code")
    version: int
    status: str
    is_commitment: bool
    term_start: date
    term_end: date
    published_at: datetime | None
    previous: int | None = Field(None, alias="previous_id")
    amendment_reason: str
    rule_set_version: str
    check_ok: bool | None


class ProgramDetailOut(ProgramOut):
    summary: str
    check_report: dict[str, Any]
    promises: list[PromiseOut]

    @staticmethod
    def resolve_promises(obj: Program) -> list[Promise]:
        return list(obj.promises.all())


class EventOut(Schema):
    at: datetime
    kind: str
    old_status: str
    new_status: str
    progress: int
    spent_kzt: int | None
    narrative: str
    evidence_note: str
    source: str


class PromiseDetailOut(PromiseOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj: Promise) -> list[Any]:
        return obj.timeline


@router.get(
    "/programs", response=list[ProgramOut], summary="Published programs and the versions amendments replaced"
)
@api_public
@paginate(Pages)
def program_list(
    request,
    territory: str | None = Query(None, pattern=KATO),
    status: Literal["published", "superseded"] | None = None,
):
    """Drafts are never listed. `is_commitment` marks the sitting akims' programs."""
    return selectors.public_programs(prefix=prefix_filter(territory), status=status)


@router.get("/programs/{program_id}", response=ProgramDetailOut, summary="One version of a program")
@api_public
def program_get(request, program_id: int):
    """A version with its promises. A draft is visible only to those who may edit it: its candidate, or the
    unit's akim and staff for the sitting akim's program."""
    program = (
        selectors.programs_annotated()
        .prefetch_related(*selectors.program_rows())
        .filter(pk=program_id)
        .first()
    )
    if program is None or (
        program.status == ProgramStatus.DRAFT
        and not may_draft_for(request.user, program.candidacy, program.rural_unit)
    ):
        raise HttpError(404, _("There is no program %(id)s.") % {"id": program_id})
    return program


@router.post(
    "/programs/{program_id}/publish",
    response=ProgramOut,
    summary="Publish a draft (refused while errors remain)",
)
@api_authenticated
def program_publish(request, program_id: int):
    """The check runs again in the same transaction; with an error the answer is 400 `check_failed`, listing
    the findings under `findings`. Only the candidate, or the unit's akim and akimat staff for the sitting
    akim's program, may publish."""
    program = Program.objects.select_related("candidacy__person", "rural_unit").filter(pk=program_id).first()
    if program is None:
        raise HttpError(404, _("There is no program %(id)s.") % {"id": program_id})
    if not may_draft_for(request.user, program.candidacy, program.rural_unit):
        if program.status == ProgramStatus.DRAFT:
            raise HttpError(404, _("There is no program %(id)s.") % {"id": program_id})
        raise HttpError(403, _("You do not have the right to do this."))
    services.program_publish(program=program, actor=request.user)
    return selectors.programs_annotated().get(pk=program_id)


@router.get(
    "/promises", response=list[PromiseOut], summary="The sitting akims' promises, as the trackers show them"
)
@api_public
@paginate(Pages)
def promise_list(
    request,
    territory: str | None = Query(None, pattern=KATO),
    status: Literal[tuple(PromiseStatus.values)] | None = None,  # type: ignore[valid-type]
    sector: Literal[tuple(Sector.values)] | None = None,  # type: ignore[valid-type]
    overdue: bool | None = None,
):
    """`overdue=true`: still open (not yet rated, in progress or stalled) with the deadline passed."""
    return selectors.tracked_promises(
        prefix=prefix_filter(territory),
        status=status,
        sector=sector,
        overdue=overdue,
        today=timezone.localdate(),
    ).prefetch_related(Prefetch("funding_lines", queryset=FundingLine.objects.order_by("order", "pk")))


@router.get(
    "/promises/{promise_id}", response=PromiseDetailOut, summary="One tracked promise with its timeline"
)
@api_public
def promise_get(request, promise_id: int):
    promise = (
        selectors.tracked_promises(today=timezone.localdate())
        .prefetch_related(Prefetch("funding_lines", queryset=FundingLine.objects.order_by("order", "pk")))
        .filter(pk=promise_id)
        .first()
    )
    if promise is None:
        raise HttpError(404, _("There is no tracked promise %(id)s.") % {"id": promise_id})
    promise.timeline = selectors.promise_timeline(promise)
    return promise
