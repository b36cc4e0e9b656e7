"""From a program's rows (saved, or still in the editor's form) to the checker's PROGRAM JSON, and the check.

The editor, the services and the demo loader all build the checker's input through `as_check_input`, so a
program is checked the same way whether it is being typed, saved, published or loaded in bulk.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from esep.core.errors import ApplicationError
from esep.programs.checker import CheckInputError, CheckReport, check_program, parse_context, parse_program
from esep.programs.models import Program
from esep.programs.selectors import context_for_unit
from esep.territory.models import Territory


@dataclass(frozen=True)
class FundingDraft:
    source: str
    year: int
    amount_kzt: int
    plan_item: str = ""


@dataclass(frozen=True)
class PromiseDraft:
    """A promise as the author wrote it; `local_id` is empty for a promise not saved yet."""

    title: str
    sector: str
    deadline: date
    cost_kzt: int
    power_code: str = ""
    description: str = ""
    indicator_name: str = ""
    indicator_unit: str = ""
    indicator_baseline: Decimal | None = None
    indicator_target: Decimal | None = None
    funding: tuple[FundingDraft, ...] = field(default_factory=tuple)
    local_id: str = ""


def _number(value: Decimal | int | float | None) -> int | float | None:
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def promise_json(draft: PromiseDraft, local_id: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": local_id,
        "title": draft.title,
        "power": draft.power_code or None,
        "indicator": None,
        "deadline": draft.deadline.isoformat(),
        "cost_kzt": draft.cost_kzt,
        "funding": [],
    }
    if draft.indicator_name.strip():
        data["indicator"] = {"name": draft.indicator_name, "unit": draft.indicator_unit}
        if draft.indicator_baseline is not None:
            data["indicator"]["baseline"] = _number(draft.indicator_baseline)
        if draft.indicator_target is not None:
            data["indicator"]["target"] = _number(draft.indicator_target)
    for line in draft.funding:
        entry: dict[str, Any] = {"source": line.source, "year": line.year, "amount_kzt": line.amount_kzt}
        if line.plan_item:
            entry["plan_item"] = line.plan_item
        data["funding"].append(entry)
    return data


def as_check_input(
    *, unit_kato: str, term_start: date, term_end: date, promises: Iterable[PromiseDraft]
) -> dict[str, Any]:
    """The PROGRAM JSON of docs/program-format.md. Promises not saved yet are numbered N1, N2... so that the
    findings can still name them."""
    numbered = []
    for index, draft in enumerate(promises, 1):
        numbered.append(promise_json(draft, draft.local_id or f"N{index}"))
    return {
        "rural_unit": unit_kato,
        "term": {"start": term_start.isoformat(), "end": term_end.isoformat()},
        "promises": numbered,
    }


def draft_of(promise: Any) -> PromiseDraft:
    """A saved promise as a draft (its `power` and `funding_lines` should be loaded with it)."""
    return PromiseDraft(
        local_id=promise.local_id,
        title=promise.title,
        description=promise.description,
        sector=promise.sector,
        power_code=promise.power.code if promise.power_id else "",
        indicator_name=promise.indicator_name,
        indicator_unit=promise.indicator_unit,
        indicator_baseline=promise.indicator_baseline,
        indicator_target=promise.indicator_target,
        deadline=promise.deadline,
        cost_kzt=promise.cost_kzt,
        funding=tuple(
            FundingDraft(
                source=line.source, year=line.year, amount_kzt=line.amount_kzt, plan_item=line.plan_item
            )
            for line in promise.funding_lines.all()
        ),
    )


def program_as_check_input(program: Program) -> dict[str, Any]:
    """The PROGRAM JSON of a saved version (prefetch `promises__power` and `promises__funding_lines`)."""
    return as_check_input(
        unit_kato=program.rural_unit.kato,
        term_start=program.term_start,
        term_end=program.term_end,
        promises=[draft_of(promise) for promise in program.promises.all()],
    )


def check_with_context(program_data: dict[str, Any], context_data: dict[str, Any]) -> CheckReport:
    try:
        program = parse_program(program_data)
    except CheckInputError as exc:
        raise ApplicationError(
            _("The program cannot be checked: %(path)s %(message)s")
            % {"path": exc.path, "message": exc.message},
            code="invalid_input",
        ) from exc
    try:
        context = parse_context(context_data)
    except CheckInputError as exc:  # the database's own data: a bug or a broken import, said plainly
        raise ApplicationError(
            _("The context of the check is not valid: %(path)s %(message)s")
            % {"path": exc.path, "message": exc.message},
            code="invalid_context",
        ) from exc
    return check_program(program, context)


def check_for_unit(unit: Territory, program_data: dict[str, Any], *, on: date) -> CheckReport:
    """Check against the rule set in force on `on`, the unit's budget, its region's plan and the powers.
    ApplicationError `no_rule_set` when no rule set is in force."""
    return check_with_context(program_data, context_for_unit(unit, on=on))
