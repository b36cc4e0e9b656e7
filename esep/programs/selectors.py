"""Reads of the programs app (a fixed number of queries each), and the checker's CONTEXT built from them."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from esep.core.errors import ApplicationError
from esep.core.kato import district_code, kato_within, region_code
from esep.elections.models import ACTIVE_CANDIDACY, Mandate
from esep.elections.models import OPEN_STATUSES as ELECTION_OPEN
from esep.elections.selectors import current_mandate
from esep.powers.models import STATUSES_IN_FORCE, Power, PowerLevel
from esep.powers.selectors import powers_for_checker
from esep.programs.models import (
    OPEN_PROMISE_STATUSES,
    DevelopmentPlan,
    FundingLine,
    LocalBudget,
    PlanItem,
    Program,
    ProgramStatus,
    Promise,
    PromiseEvent,
    PromiseStatus,
    RuleSet,
    holds_mandate,
)
from esep.territory.models import Territory


def rule_set_in_force(on: date) -> RuleSet | None:
    """The newest rule set whose date has come; of two with the same date, the one published later."""
    return RuleSet.objects.filter(effective_from__lte=on).order_by("-effective_from", "-pk").first()


def rule_set_history() -> QuerySet[RuleSet]:
    return RuleSet.objects.select_related("created_by").order_by("-effective_from", "-pk")


def budget_forecast(unit: Territory) -> dict[int, int]:
    """The unit's revenue forecast per year: every source of the Budget Code added up (one query)."""
    rows = (
        LocalBudget.objects.filter(unit=unit)
        .values("year")
        .annotate(total=Sum("amount_kzt"))
        .order_by("year")
    )
    return {row["year"]: row["total"] for row in rows}


def budget_lines(*, unit: str | None = None, year: int | None = None) -> QuerySet[LocalBudget]:
    lines = LocalBudget.objects.select_related("unit")
    if unit:
        lines = lines.filter(unit__kato=unit)
    if year:
        lines = lines.filter(year=year)
    return lines.order_by("unit__kato", "year", "source")


def development_plans(*, region: str | None = None) -> QuerySet[DevelopmentPlan]:
    """Plans with their region and items: three queries per page whatever the number of items."""
    plans = DevelopmentPlan.objects.select_related("region").prefetch_related(
        Prefetch("items", queryset=PlanItem.objects.order_by("code"))
    )
    if region:
        plans = plans.filter(region__kato=region)
    return plans.order_by("region__kato", "-year_from")


def plan_items_for_unit(unit: Territory) -> QuerySet[PlanItem]:
    """Every item of the plans of the unit's region: those covering the unit, its district or its region, and
    the others too, so the checker can tell 'not in the plan' from 'not for this territory'."""
    return PlanItem.objects.filter(plan__region__kato=region_code(unit.kato)).order_by("code")


def covers(item: PlanItem, unit: Territory) -> bool:
    return bool({unit.kato, district_code(unit.kato), region_code(unit.kato)} & set(item.territories))


def context_for_unit(unit: Territory, *, on: date) -> dict[str, Any]:
    """The checker's CONTEXT for a program in `unit` checked on `on` (four queries).

    Raises ApplicationError when no rule set is in force on that date: no check is possible without one.
    """
    rule_set = rule_set_in_force(on)
    if rule_set is None:
        raise ApplicationError(
            _("No rule set for the economic block is in force on %(date)s.") % {"date": on.isoformat()},
            code="no_rule_set",
        )
    return {
        "rules": {"version": rule_set.version, **rule_set.parameters},
        "local_budget": {str(year): total for year, total in budget_forecast(unit).items()},
        "development_plan": [
            {
                "code": item.code,
                "title": item.title,
                "sector": item.sector,
                "territories": list(item.territories),
                "allocations": dict(item.allocations),
                "committed": dict(item.committed),
            }
            for item in plan_items_for_unit(unit)
        ],
        "powers": powers_for_checker(),
    }


# --- Programs and the tracker ------------------------------------------------------------------------------


def program_rows() -> list[Prefetch]:
    return [
        Prefetch("promises", queryset=Promise.objects.select_related("power").order_by("order", "pk")),
        Prefetch("promises__funding_lines", queryset=FundingLine.objects.order_by("order", "pk")),
    ]


def program_get(program_id: int) -> Program:
    """A version with its unit, candidate, promises and funding lines (three queries)."""
    program = (
        Program.objects.select_related(
            "rural_unit__parent__parent", "candidacy__person", "candidacy__election", "candidacy__party"
        )
        .prefetch_related(*program_rows())
        .filter(pk=program_id)
        .first()
    )
    if program is None:
        raise Http404(program_id)
    return program


def program_versions(program: Program) -> list[Program]:
    """Every version of the candidacy's program, newest first (one query)."""
    return list(
        Program.objects.filter(candidacy_id=program.candidacy_id)
        .only("pk", "version", "status", "published_at", "amendment_reason", "check_ok", "candidacy_id")
        .order_by("-version")
    )


def previous_version(program: Program) -> Program | None:
    """The version this one amends, with its rows, for the diff (three queries, or none)."""
    return program_get(program.previous_id) if program.previous_id else None


@dataclass
class StatusGroup:
    status: str
    label: str
    promises: list[Promise] = field(default_factory=list)


@dataclass
class Tracker:
    unit: Territory
    mandate: Mandate | None
    program: Program | None
    groups: list[StatusGroup]
    events: dict[str, list[PromiseEvent]]
    versions: list[Program]
    today: date
    candidates_programs: list[Program] = field(default_factory=list)

    @property
    def promises(self) -> list[Promise]:
        return [promise for group in self.groups for promise in group.promises]

    @property
    def overdue(self) -> int:
        return sum(promise.is_overdue(self.today) for promise in self.promises)

    @property
    def cost_kzt(self) -> int:
        return sum(promise.cost_kzt for promise in self.promises if promise.removed_in_id is None)


def group_by_status(promises: list[Promise]) -> list[StatusGroup]:
    groups = {status: StatusGroup(status, label) for status, label in PromiseStatus.choices}
    for promise in promises:
        groups[promise.status].promises.append(promise)
    return list(groups.values())


def tracker(unit: Territory, *, today: date) -> Tracker:
    """The sitting akim's published program, its promises grouped by the seven statuses with their funding
    and timelines, the versions, and the candidates' programs of an open election: seven queries at most,
    whatever the number of promises and events."""
    mandate = current_mandate(unit)
    program = None
    promises: list[Promise] = []
    events: dict[str, list[PromiseEvent]] = defaultdict(list)
    versions: list[Program] = []
    if mandate is not None:
        program = (
            Program.objects.filter(
                candidacy__election_id=mandate.election_id,
                candidacy__person_id=mandate.person_id,
                status=ProgramStatus.PUBLISHED,
            )
            .select_related("candidacy")
            .first()
        )
    if program is not None:
        versions = program_versions(program)
        promises = list(
            Promise.objects.filter(
                Q(program=program) | Q(removed_in__isnull=False, program__candidacy_id=program.candidacy_id)
            )
            .select_related("power", "removed_in")
            .prefetch_related(Prefetch("funding_lines", queryset=FundingLine.objects.order_by("order", "pk")))
            .order_by(F("removed_in").asc(nulls_first=True), "order", "pk")
        )
        # A promise's timeline runs across versions: its number names it in every one of them.
        for event in PromiseEvent.objects.filter(
            promise__program__candidacy_id=program.candidacy_id,
            promise__local_id__in=[promise.local_id for promise in promises],
        ).select_related("promise"):
            events[event.promise.local_id].append(event)
    for promise in promises:  # what the cards show, computed once here rather than in the template
        promise.timeline = events.get(promise.local_id, [])
        promise.overdue = promise.is_overdue(today)
    candidates = list(
        Program.objects.filter(
            rural_unit=unit,
            status=ProgramStatus.PUBLISHED,
            candidacy__election__status__in=ELECTION_OPEN,
            candidacy__status__in=ACTIVE_CANDIDACY,
        )
        .select_related("candidacy__person", "candidacy__party", "candidacy__election")
        .order_by("candidacy__person__full_name")
    )
    return Tracker(
        unit=unit,
        mandate=mandate,
        program=program,
        groups=group_by_status(promises),
        events=dict(events),
        versions=versions,
        today=today,
        candidates_programs=candidates,
    )


def programs_annotated() -> QuerySet[Program]:
    """Programs with their unit, candidate and party, each with `is_commitment`: published, and its candidate
    holds the mandate won in that election today."""
    return Program.objects.select_related("rural_unit", "candidacy__person", "candidacy__party").annotate(
        is_commitment=ExpressionWrapper(
            holds_mandate() & Q(status=ProgramStatus.PUBLISHED), output_field=BooleanField()
        )
    )


def public_programs(*, prefix: str = "", status: str | None = None) -> QuerySet[Program]:
    """Published versions and those replaced by amendments, never drafts."""
    programs = programs_annotated().public()
    if prefix:
        programs = programs.filter(kato_within("rural_unit__kato", prefix))
    if status:
        programs = programs.filter(status=status)
    return programs.order_by("rural_unit__kato", "candidacy_id", "-version")


def tracked_promises(
    *,
    prefix: str = "",
    status: str | None = None,
    sector: str | None = None,
    overdue: bool | None = None,
    today: date,
) -> QuerySet[Promise]:
    """The promises the trackers show, in every unit under `prefix`: the sitting akims' published programs
    and what their amendments left out."""
    promises = (
        Promise.objects.filter(holds_mandate("program__"))
        .filter(Q(program__status=ProgramStatus.PUBLISHED) | Q(removed_in__isnull=False))
        .select_related("program__rural_unit", "program__candidacy__person", "power")
    )
    if prefix:
        promises = promises.filter(kato_within("program__rural_unit__kato", prefix))
    if status:
        promises = promises.filter(status=status)
    if sector:
        promises = promises.filter(sector=sector)
    late = Q(status__in=OPEN_PROMISE_STATUSES, deadline__lt=today)
    if overdue is True:
        promises = promises.filter(late)
    elif overdue is False:
        promises = promises.exclude(late)
    return promises.order_by("program__rural_unit__kato", "order", "pk")


def promise_timeline(promise: Promise) -> list[PromiseEvent]:
    """Every event of the promise across the versions of its program (one query)."""
    return list(
        PromiseEvent.objects.filter(
            promise__program__candidacy_id=promise.program.candidacy_id, promise__local_id=promise.local_id
        ).order_by("at", "pk")
    )


@dataclass(frozen=True)
class EditorChoices:
    powers: list[tuple[str, str]]
    plan_items: list[tuple[str, str]]
    forecast: dict[int, int]


def editor_choices(program: Program) -> EditorChoices:
    """What the editor offers: the rural akim's powers in force, the plan items covering the unit, and the
    unit's budget forecast (three queries)."""
    powers = [
        (code, f"{code} — {text}")
        for code, text in (
            (power.code, power.text)
            for power in Power.objects.filter(level=PowerLevel.RURAL, status__in=STATUSES_IN_FORCE).order_by(
                "sector", "code"
            )
        )
    ]
    items = []
    for item in plan_items_for_unit(program.rural_unit):
        if covers(item, program.rural_unit):
            free = ", ".join(
                f"{year}: {item.available(int(year)):,}".replace(",", " ")
                for year in sorted(item.allocations)
            )
            items.append((item.code, f"{item.code} — {item.title} ({free})"))
    return EditorChoices(powers=powers, plan_items=items, forecast=budget_forecast(program.rural_unit))
