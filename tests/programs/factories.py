"""Programs for tests, made through the real services.

reference_data(unit_a)                       # rule set, budget forecast, a plan item for the district
mandate = make_sitting_akim(unit_a)          # tests/elections/factories.py
program = published_program(mandate, promises=5)
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from esep.elections.models import Candidacy, Mandate
from esep.programs.drafting import FundingDraft, PromiseDraft
from esep.programs.models import Program, RuleSet
from esep.programs.services import (
    BudgetRow,
    PlanRow,
    budget_rows_load,
    plan_rows_load,
    program_publish,
    program_save_draft,
    program_start,
    rule_set_publish,
)
from esep.territory.models import Territory

FORECAST = 100_000_000  # a year's budget forecast of every unit the tests set up; 30% may go to a program
PLAN_ITEM = "TST-2026-001"


def reference_data(*units: Territory, forecast: int = FORECAST) -> None:
    """A rule set in force (30% of the forecast), a forecast for 2020-2035, and a plan item for the first
    unit's district with 500 million free every year."""
    if not RuleSet.objects.exists():
        rule_set_publish(
            version="T-1", effective_from=date(2000, 1, 1), parameters={"max_local_budget_share": 0.3}
        )
    rows = [
        BudgetRow(line=n, unit=unit.kato, year=year, source="income_tax", amount_kzt=forecast)
        for n, (unit, year) in enumerate(((u, y) for u in units for y in range(2020, 2036)), 1)
    ]
    budget_rows_load(rows=rows, source="tests")
    first = units[0]
    plan_rows_load(
        rows=[
            PlanRow(
                line=n,
                region=first.region_code,
                plan_title="Test plan",
                year_from=2020,
                year_to=2035,
                code=PLAN_ITEM,
                title="Roads of the district",
                sector="roads",
                territories=(first.district_code,),
                year=year,
                allocation_kzt=600_000_000,
                committed_kzt=100_000_000,
            )
            for n, year in enumerate(range(2020, 2036), 1)
        ],
        source="tests",
    )


def candidacy_of(mandate: Mandate) -> Candidacy:
    return Candidacy.objects.get(election_id=mandate.election_id, person_id=mandate.person_id)


def promise_draft(
    number: int = 1,
    *,
    cost: int = 1_000_000,
    funding: list[FundingDraft] | None = None,
    deadline: date | None = None,
    power: str = "roads.maintenance",
    sector: str = "roads",
    local_id: str = "",
    title: str | None = None,
) -> PromiseDraft:
    """A promise that passes the check: funded in full from the local budget this year."""
    today = timezone.localdate()
    return PromiseDraft(
        local_id=local_id,
        title=title or f"Repair street number {number}",
        sector=sector,
        power_code=power,
        indicator_name="streets repaired",
        indicator_unit="km",
        indicator_baseline=Decimal(0),
        indicator_target=Decimal(2),
        deadline=deadline or today + timedelta(days=200),
        cost_kzt=cost,
        funding=tuple(funding)
        if funding is not None
        else (FundingDraft(source="local_budget", year=today.year, amount_kzt=cost),),
    )


def failing_draft(number: int = 99) -> PromiseDraft:
    """A promise with an error: it costs money and names no funding at all (FUNDING_MISSING)."""
    return promise_draft(number, cost=5_000_000, funding=[], title=f"Unfunded promise {number}")


def draft_program(
    mandate: Mandate, *, promises: int | list[PromiseDraft] = 3, actor: AbstractBaseUser | None = None
) -> Program:
    drafts = [promise_draft(n) for n in range(1, promises + 1)] if isinstance(promises, int) else promises
    program = program_start(candidacy=candidacy_of(mandate), actor=actor)
    return program_save_draft(program=program, promises=drafts, actor=actor)


def published_program(
    mandate: Mandate, *, promises: int | list[PromiseDraft] = 3, actor: AbstractBaseUser | None = None
) -> Program:
    program = draft_program(mandate, promises=promises, actor=actor)
    return program_publish(program=program, actor=actor)
