from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from esep.api.access import api_public
from esep.api.pagination import Pages
from esep.core.errors import ApplicationError
from esep.programs import selectors
from esep.programs.checker import CheckInputError, check_program, parse_context, parse_program
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
