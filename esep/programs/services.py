"""Writes of the programs app. Each one transaction, audited.

Rule sets, development plans and local budgets: plans and budgets come as CSV (docs/program-format.md).
An import is all or nothing: every row is read and checked first, every error is reported with its line and
field, and only a clean file is written. A second run of the same file changes nothing. The demo data goes
through the same `*_rows_load` functions as the files.

Programs: a candidate (or the akim and the akimat's staff, for the sitting akim's commitments) drafts, checks
and publishes; a published version never changes, an amendment is a new version with a reason. The tracker
records what happens to each promise (`promise_record_update`) and keeps the summary table (`stats.py`)
current in the same transaction. Docs: docs/programs.md.
"""

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from esep.core import access
from esep.core.audit.chain import audit_record
from esep.core.errors import ApplicationError, validation_message
from esep.core.imports import ImportFailed, ImportResult, RowError, read_csv_rows
from esep.elections import rules as election_rules
from esep.elections.models import ACTIVE_CANDIDACY, Candidacy, Mandate
from esep.elections.models import OPEN_STATUSES as ELECTION_OPEN
from esep.powers.models import Power, Sector
from esep.programs.checker import MAX_YEAR, MIN_YEAR, CheckReport
from esep.programs.drafting import (
    PromiseDraft,
    as_check_input,
    check_for_unit,
    check_with_context,
    program_as_check_input,
)
from esep.programs.models import (
    MAX_FUNDING_LINES,
    MAX_PROMISES,
    OPEN_PROMISE_STATUSES,
    REASONED_STATUSES,
    BudgetSource,
    DevelopmentPlan,
    EventKind,
    ExtensionStatus,
    FundingLine,
    LocalBudget,
    PlanItem,
    Program,
    ProgramStatus,
    Promise,
    PromiseEvent,
    PromiseExtension,
    PromiseStatus,
    RuleSet,
    rule_parameters_with_defaults,
)
from esep.programs.stats import stats_rebuild
from esep.territory.models import Level, Territory

_KATO = re.compile(r"[0-9]{9}")
_PLAN_YEARS = re.compile(r"([0-9]{4})\s*-\s*([0-9]{4})")
_ITEM_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]*")
_WHOLE = re.compile(r"[0-9]{1,18}")  # more digits than a bigint holds is not an amount
_BATCH = 2000


# --- Rule sets ------------------------------------------------------------------------------------------


@transaction.atomic
def rule_set_publish(
    *,
    version: str,
    effective_from: date,
    parameters: dict[str, Any],
    note: str = "",
    actor: AbstractBaseUser | None = None,
) -> RuleSet:
    """Publish a new version of the requirements. A published version is never changed: publish another."""
    version = version.strip()
    if RuleSet.objects.filter(version=version).exists():
        raise ApplicationError(
            _(
                "Version %(version)s is already published, and a published rule set is never changed: "
                "publish a new version."
            )
            % {"version": version},
            code="duplicate",
        )
    latest = RuleSet.objects.order_by("-effective_from").first()
    if latest is not None and effective_from < latest.effective_from:
        raise ApplicationError(
            _("Version %(latest)s is in force from %(date)s: a new version cannot take effect before it.")
            % {"latest": latest.version, "date": latest.effective_from.isoformat()}
        )
    rule_set = RuleSet(
        version=version,
        effective_from=effective_from,
        parameters=rule_parameters_with_defaults(parameters),
        note=note.strip(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    try:
        rule_set.full_clean()
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="invalid_rule_set") from exc
    rule_set.save()
    audit_record(
        actor=actor,
        action="programs.rule_set_publish",
        subject=rule_set,
        data={
            "version": version,
            "effective_from": effective_from.isoformat(),
            "parameters": rule_set.parameters,
        },
    )
    return rule_set


# --- Shared row checks ------------------------------------------------------------------------------------


def _whole(
    text: str, *, field: str, line: int, errors: list[RowError], blank: int | None = None
) -> int | None:
    """A non-negative whole number written with digits only (spaces between thousands are allowed)."""
    text = text.replace(" ", "").replace("\u00a0", "")
    if not text and blank is not None:
        return blank
    if not _WHOLE.fullmatch(text):
        errors.append(RowError(line, field, _("%(value)r is not a whole number of tenge") % {"value": text}))
        return None
    return int(text)


def _year(text: str, *, field: str, line: int, errors: list[RowError]) -> int | None:
    text = text.strip()
    if not re.fullmatch(r"[0-9]{4}", text) or not MIN_YEAR <= int(text) <= MAX_YEAR:
        errors.append(
            RowError(
                line,
                field,
                _("%(value)r is not a year between %(min)d and %(max)d")
                % {"value": text, "min": MIN_YEAR, "max": MAX_YEAR},
            )
        )
        return None
    return int(text)


def _fail_if(source: str, errors: list[RowError]) -> None:
    if errors:
        raise ImportFailed(source, sorted(errors, key=lambda error: (error.line, error.field)))


def _file_facts(path: Path | str) -> dict[str, str]:
    return {"file": Path(path).name, "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest()}


# --- Development plans ------------------------------------------------------------------------------------

PLAN_COLUMNS = [
    "region",
    "plan_title",
    "plan_years",
    "code",
    "title",
    "sector",
    "territories",
    "year",
    "allocation_kzt",
    "committed_kzt",
]


@dataclass(frozen=True)
class PlanRow:
    """One item of a regional plan in one year (a CSV line, or a row the demo makes)."""

    line: int
    region: str
    plan_title: str
    year_from: int
    year_to: int
    code: str
    title: str
    sector: str
    territories: tuple[str, ...]
    year: int
    allocation_kzt: int
    committed_kzt: int

    @property
    def plan_key(self) -> tuple[str, int, int]:
        return (self.region, self.year_from, self.year_to)


def _plan_row(line: int, raw: dict[str, str], errors: list[RowError]) -> PlanRow | None:
    found = len(errors)
    value = {name: (raw.get(name) or "").strip() for name in PLAN_COLUMNS}
    region = value["region"]
    if not _KATO.fullmatch(region) or region[2:] != "0000000":
        errors.append(
            RowError(line, "region", _("%(value)r is not the KATO code of a region") % {"value": region})
        )
    if not value["plan_title"] or len(value["plan_title"]) > 300:
        errors.append(RowError(line, "plan_title", _("give a title of at most 300 characters")))
    years = _PLAN_YEARS.fullmatch(value["plan_years"])
    year_from = year_to = 0
    if not years or not MIN_YEAR <= int(years[1]) <= int(years[2]) <= MAX_YEAR:
        errors.append(RowError(line, "plan_years", _("write the plan's years as 2026-2030")))
    else:
        year_from, year_to = int(years[1]), int(years[2])
    if not _ITEM_CODE.fullmatch(value["code"]) or len(value["code"]) > 32:
        errors.append(
            RowError(
                line,
                "code",
                _("%(value)r is not an item code such as AKM-2026-014") % {"value": value["code"]},
            )
        )
    if not value["title"] or len(value["title"]) > 500:
        errors.append(RowError(line, "title", _("give a title of at most 500 characters")))
    if value["sector"] not in Sector.values:
        errors.append(
            RowError(
                line,
                "sector",
                _("unknown sector %(value)r; use one of %(sectors)s")
                % {"value": value["sector"], "sectors": ", ".join(Sector.values)},
            )
        )
    territories = tuple(re.split(r"[\s;,]+", value["territories"])) if value["territories"] else ()
    bad = [code for code in territories if not _KATO.fullmatch(code)]
    if not territories or bad:
        errors.append(RowError(line, "territories", _("list KATO codes of 9 digits separated by spaces")))
    elif len(set(territories)) != len(territories):
        errors.append(RowError(line, "territories", _("a KATO code is listed twice")))
    elif _KATO.fullmatch(region) and any(code[:2] != region[:2] for code in territories):
        errors.append(RowError(line, "territories", _("every territory must lie in the plan's region")))
    year = _year(value["year"], field="year", line=line, errors=errors)
    if year is not None and year_from and not year_from <= year <= year_to:
        errors.append(RowError(line, "year", _("%(year)d is outside the plan's years") % {"year": year}))
    allocation = _whole(value["allocation_kzt"], field="allocation_kzt", line=line, errors=errors)
    committed = _whole(value["committed_kzt"], field="committed_kzt", line=line, errors=errors, blank=0)
    if allocation is not None and committed is not None and committed > allocation:
        errors.append(RowError(line, "committed_kzt", _("more is committed than allocated")))
    if len(errors) > found:
        return None
    return PlanRow(
        line=line,
        region=region,
        plan_title=value["plan_title"],
        year_from=year_from,
        year_to=year_to,
        code=value["code"],
        title=value["title"],
        sector=value["sector"],
        territories=territories,
        year=year,
        allocation_kzt=allocation,
        committed_kzt=committed,
    )


def _check_plan_rows(rows: list[PlanRow], errors: list[RowError]) -> None:
    """Rows must agree with each other and with the database (one query per kind of reference)."""
    first_of_item: dict[str, PlanRow] = {}
    first_of_plan: dict[tuple, PlanRow] = {}
    seen_years: set[tuple[str, int]] = set()
    for row in rows:
        if (row.code, row.year) in seen_years:
            errors.append(
                RowError(
                    row.line,
                    "year",
                    _("item %(code)s already has a line for %(year)d") % {"code": row.code, "year": row.year},
                )
            )
        seen_years.add((row.code, row.year))
        first = first_of_item.setdefault(row.code, row)
        for name in ("region", "year_from", "title", "sector", "territories"):
            if getattr(row, name) != getattr(first, name):
                column = {"year_from": "plan_years"}.get(name, name)
                errors.append(
                    RowError(
                        row.line,
                        column,
                        _("differs from line %(line)d of the same item") % {"line": first.line},
                    )
                )
        plan_first = first_of_plan.setdefault(row.plan_key, row)
        if row.plan_title != plan_first.plan_title:
            errors.append(
                RowError(
                    row.line,
                    "plan_title",
                    _("differs from line %(line)d of the same plan") % {"line": plan_first.line},
                )
            )
    regions = {row.region for row in rows}
    known_regions = set(
        Territory.objects.filter(kato__in=regions, level=Level.REGION).values_list("kato", flat=True)
    )
    codes = {code for row in rows for code in row.territories}
    known_codes = set(Territory.objects.filter(kato__in=codes).values_list("kato", flat=True))
    elsewhere = {
        code: (region, year_from, year_to)
        for code, region, year_from, year_to in PlanItem.objects.filter(code__in=first_of_item).values_list(
            "code", "plan__region__kato", "plan__year_from", "plan__year_to"
        )
    }
    for row in rows:
        if row.region not in known_regions:
            errors.append(
                RowError(row.line, "region", _("there is no region %(kato)s") % {"kato": row.region})
            )
        unknown = [code for code in row.territories if code not in known_codes]
        if unknown:
            errors.append(
                RowError(row.line, "territories", _("there is no territory %(kato)s") % {"kato": unknown[0]})
            )
        if row.code in elsewhere and elsewhere[row.code] != row.plan_key:
            errors.append(
                RowError(
                    row.line,
                    "code",
                    _("item %(code)s belongs to another plan (%(plan)s)")
                    % {"code": row.code, "plan": "{} {}-{}".format(*elsewhere[row.code])},
                )
            )


@transaction.atomic
def plan_rows_load(
    *, rows: list[PlanRow], source: str, actor: AbstractBaseUser | None = None, facts: dict | None = None
) -> ImportResult:
    """Bring plans and items in line with `rows`; items absent from the rows are kept (programs cite them)."""
    errors: list[RowError] = []
    _check_plan_rows(rows, errors)
    _fail_if(source, errors)
    result = ImportResult()
    regions = {t.kato: t for t in Territory.objects.filter(kato__in={row.region for row in rows})}
    plans = {
        (plan.region.kato, plan.year_from, plan.year_to): plan
        for plan in DevelopmentPlan.objects.select_related("region").filter(region__kato__in=regions)
    }
    for key, plan_rows in _group(rows, key=lambda row: row.plan_key).items():
        plan = plans.get(key)
        title = plan_rows[0].plan_title
        if plan is None:
            plan = DevelopmentPlan(region=regions[key[0]], title=title, year_from=key[1], year_to=key[2])
            plan.full_clean()
            plan.save()
            plans[key] = plan
            result.created += 1
        elif plan.title != title:
            plan.title = title
            plan.full_clean()
            plan.save(update_fields=["title"])
            result.updated += 1
    items = {
        item.code: item
        for item in PlanItem.objects.select_related("plan").filter(code__in={row.code for row in rows})
    }
    for code, item_rows in _group(rows, key=lambda row: row.code).items():
        first = item_rows[0]
        wanted = {
            "title": first.title,
            "sector": first.sector,
            "territories": list(first.territories),
            "allocations": {
                str(row.year): row.allocation_kzt for row in sorted(item_rows, key=lambda r: r.year)
            },
            "committed": {
                str(row.year): row.committed_kzt
                for row in sorted(item_rows, key=lambda r: r.year)
                if row.committed_kzt
            },
        }
        item = items.get(code)
        if item is None:
            # An item's plan never changes: a code found under another plan is an error above.
            item = PlanItem(code=code, plan=plans[first.plan_key], **wanted)
            item.full_clean()
            item.save()
            result.created += 1
            continue
        changed = [name for name, value in wanted.items() if getattr(item, name) != value]
        if not changed:
            result.unchanged += 1
            continue
        for name in changed:
            setattr(item, name, wanted[name])
        item.full_clean()
        item.save(update_fields=changed)
        result.updated += 1
    if result.changed:
        audit_record(
            actor=actor,
            action="programs.plan_import",
            subject_type="programs.developmentplan",
            subject_id=source,
            data={**(facts or {}), "source": source, "rows": len(rows), **_counts(result)},
        )
    return result


def plan_import_csv(*, path: Path | str, actor: AbstractBaseUser | None = None) -> ImportResult:
    """Import regional development plans from CSV (columns: docs/program-format.md). All or nothing."""
    source = Path(path).name
    errors: list[RowError] = []
    rows = [
        row
        for line, raw in read_csv_rows(path, required=PLAN_COLUMNS, source=source)
        if (row := _plan_row(line, raw, errors)) is not None
    ]
    _fail_if(source, errors)
    if not rows:
        raise ImportFailed(source, [RowError(1, "", _("the file has no rows"))])
    return plan_rows_load(rows=rows, source=source, actor=actor, facts=_file_facts(path))


# --- Local budgets ---------------------------------------------------------------------------------------

BUDGET_COLUMNS = ["unit", "year", "source", "amount_kzt"]


@dataclass(frozen=True)
class BudgetRow:
    line: int
    unit: str
    year: int
    source: str
    amount_kzt: int


def _budget_row(line: int, raw: dict[str, str], errors: list[RowError]) -> BudgetRow | None:
    found = len(errors)
    value = {name: (raw.get(name) or "").strip() for name in BUDGET_COLUMNS}
    if not _KATO.fullmatch(value["unit"]):
        errors.append(
            RowError(line, "unit", _("%(value)r is not a KATO code of 9 digits") % {"value": value["unit"]})
        )
    year = _year(value["year"], field="year", line=line, errors=errors)
    if value["source"] not in BudgetSource.values:
        errors.append(
            RowError(
                line,
                "source",
                _("unknown source %(value)r; use one of %(sources)s")
                % {"value": value["source"], "sources": ", ".join(BudgetSource.values)},
            )
        )
    amount = _whole(value["amount_kzt"], field="amount_kzt", line=line, errors=errors)
    if len(errors) > found:
        return None
    return BudgetRow(line=line, unit=value["unit"], year=year, source=value["source"], amount_kzt=amount)


@transaction.atomic
def budget_rows_load(
    *, rows: list[BudgetRow], source: str, actor: AbstractBaseUser | None = None, facts: dict | None = None
) -> ImportResult:
    """Bring the local budget forecasts in line with `rows`; lines absent from the rows are kept.

    Tens of thousands of lines: the rows are checked here with the models' rules, then written in bulk.
    """
    errors: list[RowError] = []
    seen: dict[tuple[str, int, str], int] = {}
    for row in rows:
        key = (row.unit, row.year, row.source)
        if key in seen:
            errors.append(
                RowError(
                    row.line,
                    "source",
                    _("the same unit, year and source are on line %(line)d") % {"line": seen[key]},
                )
            )
        seen.setdefault(key, row.line)
    unit_ids = dict(
        Territory.objects.elected_units()
        .filter(kato__in={row.unit for row in rows})
        .values_list("kato", "pk")
    )
    for row in rows:
        if row.unit not in unit_ids:
            errors.append(
                RowError(
                    row.line,
                    "unit",
                    _("%(kato)s is not a rural unit with an elected akim") % {"kato": row.unit},
                )
            )
    _fail_if(source, errors)
    existing: dict[tuple[int, int, str], LocalBudget] = {}
    ids = sorted(set(unit_ids.values()))
    for start in range(0, len(ids), 500):
        for line in LocalBudget.objects.filter(unit_id__in=ids[start : start + 500]).only(
            "pk", "unit_id", "year", "source", "amount_kzt"
        ):
            existing[(line.unit_id, line.year, line.source)] = line
    result = ImportResult()
    new_lines: list[LocalBudget] = []
    changed_lines: list[LocalBudget] = []
    for row in rows:
        current = existing.get((unit_ids[row.unit], row.year, row.source))
        if current is None:
            new_lines.append(
                LocalBudget(
                    unit_id=unit_ids[row.unit], year=row.year, source=row.source, amount_kzt=row.amount_kzt
                )
            )
        elif current.amount_kzt != row.amount_kzt:
            current.amount_kzt = row.amount_kzt
            changed_lines.append(current)
        else:
            result.unchanged += 1
    LocalBudget.objects.bulk_create(new_lines, batch_size=_BATCH)
    LocalBudget.objects.bulk_update(changed_lines, ["amount_kzt"], batch_size=_BATCH)
    result.created, result.updated = len(new_lines), len(changed_lines)
    if result.changed:
        audit_record(
            actor=actor,
            action="programs.budget_import",
            subject_type="programs.localbudget",
            subject_id=source,
            data={
                **(facts or {}),
                "source": source,
                "rows": len(rows),
                "units": len(unit_ids),
                **_counts(result),
            },
        )
    return result


def budget_import_csv(*, path: Path | str, actor: AbstractBaseUser | None = None) -> ImportResult:
    """Import local budget forecasts from CSV (unit, year, source, amount_kzt). All or nothing."""
    source = Path(path).name
    errors: list[RowError] = []
    rows = [
        row
        for line, raw in read_csv_rows(path, required=BUDGET_COLUMNS, source=source)
        if (row := _budget_row(line, raw, errors)) is not None
    ]
    _fail_if(source, errors)
    if not rows:
        raise ImportFailed(source, [RowError(1, "", _("the file has no rows"))])
    return budget_rows_load(rows=rows, source=source, actor=actor, facts=_file_facts(path))


# --- Helpers -------------------------------------------------------------------------------------------


def _group(rows: Iterable[Any], *, key: Any) -> dict[Any, list[Any]]:
    groups: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def _counts(result: ImportResult) -> dict[str, int]:
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


# --- Programs: drafting, checking, publishing, amending ----------------------------------------------------

Actor = AbstractBaseUser | None


def _user(actor: Actor) -> AbstractBaseUser | None:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _messages(exc: ValidationError) -> str:
    return validation_message(exc, Promise, FundingLine, Program, PromiseEvent)


def program_term(candidacy: Candidacy) -> tuple[date, date]:
    """The term a program is checked against: the mandate the candidacy won, or the four years from the
    voting day of an election still to come (one query)."""
    mandate = Mandate.objects.filter(election_id=candidacy.election_id, person_id=candidacy.person_id).first()
    if mandate is not None:
        return mandate.starts_on, mandate.ends_on
    voting_date = candidacy.election.voting_date
    return voting_date, election_rules.term_end(voting_date)


def candidacy_holds_mandate(candidacy: Candidacy) -> bool:
    return (
        Mandate.objects.current()
        .filter(election_id=candidacy.election_id, person_id=candidacy.person_id)
        .exists()
    )


def _ensure_program_may_change(candidacy: Candidacy) -> None:
    """A program changes while its candidate is running, or while they hold the mandate it won."""
    running = candidacy.status in ACTIVE_CANDIDACY and candidacy.election.status in ELECTION_OPEN
    if not running and not candidacy_holds_mandate(candidacy):
        raise ApplicationError(
            _(
                "This candidacy is no longer in the race and its candidate holds no mandate won with it: "
                "its program can no longer change."
            ),
            code="program_closed",
        )


def _lock(program: Program) -> Program:
    return (
        Program.objects.select_for_update()
        .select_related("candidacy__election", "rural_unit")
        .get(pk=program.pk)
    )


def _ensure_draft(program: Program) -> None:
    if program.status != ProgramStatus.DRAFT:
        raise ApplicationError(
            _(
                "Version %(version)d of this program is published, and a published version is never changed: "
                "amend it instead (a new version, with a reason)."
            )
            % {"version": program.version},
            code="published",
        )


@transaction.atomic
def program_start(*, candidacy: Candidacy, actor: Actor, summary: str = "") -> Program:
    """Version 1 of a candidacy's program, as an empty draft."""
    candidacy = (
        Candidacy.objects.select_for_update()
        .select_related("election__rural_unit", "person")
        .get(pk=candidacy.pk)
    )
    if Program.objects.filter(candidacy=candidacy).exists():
        raise ApplicationError(
            _("This candidacy has a program already: edit its draft or amend its published version."),
            code="duplicate",
        )
    _ensure_program_may_change(candidacy)
    term_start, term_end = program_term(candidacy)
    now = timezone.now()
    program = Program(
        candidacy=candidacy,
        rural_unit=candidacy.election.rural_unit,
        version=1,
        summary=summary.strip(),
        term_start=term_start,
        term_end=term_end,
        created_by=_user(actor),
        created_at=now,
        updated_at=now,
    )
    try:
        program.full_clean()
    except ValidationError as exc:
        raise ApplicationError(_messages(exc), code="invalid") from exc
    program.save()
    audit_record(
        actor=actor,
        action="programs.program_start",
        subject=program,
        territory=program.rural_unit.kato,
        data={"candidacy": candidacy.pk, "person": candidacy.person_id},
    )
    return program


def _next_number(candidacy_id: int, taken: Iterable[str] = ()) -> Iterator[str]:
    """P-numbers not used in any version of this candidacy's program: a number names one promise for good."""
    used = list(Promise.objects.filter(program__candidacy_id=candidacy_id).values_list("local_id", flat=True))
    numbers = [int(local_id[1:]) for local_id in [*used, *taken] if re.fullmatch(r"P[0-9]+", local_id)]
    following = max(numbers, default=0) + 1
    while True:
        yield f"P{following}"
        following += 1


def _powers_by_code(drafts: Iterable[PromiseDraft]) -> dict[str, Power]:
    codes = {draft.power_code for draft in drafts if draft.power_code}
    powers = {power.code: power for power in Power.objects.filter(code__in=codes)}
    unknown = sorted(codes - set(powers))
    if unknown:
        raise ApplicationError(
            _("The power %(code)s is not in the catalogue of powers.") % {"code": unknown[0]}, code="invalid"
        )
    return powers


def _fill_promise(promise: Promise, draft: PromiseDraft, powers: dict[str, Power], order: int) -> list[str]:
    """Copy the draft's text into `promise`; returns the names of the fields that changed."""
    values = {
        "order": order,
        "title": " ".join(draft.title.split()),
        "description": draft.description.strip(),
        "sector": draft.sector,
        "power": powers.get(draft.power_code) if draft.power_code else None,
        "indicator_name": draft.indicator_name.strip(),
        "indicator_unit": draft.indicator_unit.strip(),
        "indicator_baseline": draft.indicator_baseline,
        "indicator_target": draft.indicator_target,
        "deadline": draft.deadline,
        "cost_kzt": draft.cost_kzt,
    }
    changed = []
    for name, value in values.items():
        if getattr(promise, name) != value:
            setattr(promise, name, value)
            changed.append("power" if name == "power" else name)
    return changed


def _funding_lines(promise: Promise, draft: PromiseDraft, where: str) -> list[FundingLine]:
    if len(draft.funding) > MAX_FUNDING_LINES:
        raise ApplicationError(
            _("%(where)s: at most %(count)d funding lines.") % {"where": where, "count": MAX_FUNDING_LINES}
        )
    lines = []
    for order, funding in enumerate(draft.funding):
        line = FundingLine(
            promise=promise,
            order=order,
            source=funding.source,
            plan_item=funding.plan_item.strip(),
            year=funding.year,
            amount_kzt=funding.amount_kzt,
        )
        try:
            line.clean_fields(exclude=["promise"])
            line.clean()
        except ValidationError as exc:
            raise ApplicationError(
                _("%(where)s, funding line %(number)d: %(problem)s")
                % {"where": where, "number": order + 1, "problem": _messages(exc)},
                code="invalid",
            ) from exc
        lines.append(line)
    return lines


def _validate_promise(promise: Promise, where: str) -> None:
    try:
        promise.clean_fields(exclude=["program", "power", "removed_in"])
        promise.clean()
    except ValidationError as exc:
        raise ApplicationError(f"{where}: {_messages(exc)}", code="invalid") from exc


def _where(draft: PromiseDraft, index: int) -> str:
    return _("Promise %(number)s") % {"number": draft.local_id or index}


@transaction.atomic
def program_save_draft(
    *, program: Program, promises: list[PromiseDraft], actor: Actor, summary: str | None = None
) -> Program:
    """Replace a draft's promises and funding lines with `promises` (in order), then check it and record the
    report. Promises keep their numbers; new ones get the next free number. All or nothing."""
    program = _lock(program)
    _ensure_draft(program)
    _ensure_program_may_change(program.candidacy)
    if len(promises) > MAX_PROMISES:
        raise ApplicationError(
            _("A program has at most %(count)d promises.") % {"count": MAX_PROMISES}, code="invalid"
        )
    existing = {promise.local_id: promise for promise in program.promises.select_related("power")}
    strangers = [d.local_id for d in promises if d.local_id and d.local_id not in existing]
    if strangers:
        raise ApplicationError(
            _("Promise %(number)s is not in this draft.") % {"number": strangers[0]}, code="invalid"
        )
    powers = _powers_by_code(promises)
    numbers = _next_number(program.candidacy_id, existing)
    kept: list[Promise] = []
    created: list[Promise] = []
    lines: list[FundingLine] = []
    for index, draft in enumerate(promises, 1):
        where = _where(draft, index)
        promise = existing.get(draft.local_id) or Promise(program=program, local_id=next(numbers))
        changed = _fill_promise(promise, draft, powers, index)
        _validate_promise(promise, where)
        lines.extend(_funding_lines(promise, draft, where))
        if promise.pk is None:
            created.append(promise)
        else:
            kept.append(promise)
            if changed:
                promise.save(update_fields=changed)
    FundingLine.objects.filter(promise__program=program).delete()
    Promise.objects.filter(program=program).exclude(pk__in=[p.pk for p in kept]).delete()
    for promise in created:
        promise.save()
    FundingLine.objects.bulk_create(lines)
    program.updated_at = timezone.now()
    update = ["updated_at"]
    if summary is not None and summary.strip() != program.summary:
        program.summary = summary.strip()
        update.append("summary")
        try:
            program.clean_fields(exclude=[f.name for f in Program._meta.fields if f.name != "summary"])
        except ValidationError as exc:
            raise ApplicationError(_messages(exc), code="invalid") from exc
    program.save(update_fields=update)
    _check_and_record(program, on=timezone.localdate())
    audit_record(
        actor=actor,
        action="programs.program_save",
        subject=program,
        territory=program.rural_unit.kato,
        data={
            "version": program.version,
            "promises": [p.local_id for p in sorted([*kept, *created], key=lambda p: p.order)],
            "funding_lines": len(lines),
            "check_ok": program.check_ok,
        },
    )
    return program


def program_with_rows(program_id: int) -> Program:
    return (
        Program.objects.select_related("rural_unit", "candidacy__election")
        .prefetch_related(
            Prefetch("promises", queryset=Promise.objects.select_related("power").order_by("order", "pk")),
            Prefetch("promises__funding_lines", queryset=FundingLine.objects.order_by("order", "pk")),
        )
        .get(pk=program_id)
    )


def _check(program: Program, *, on: date) -> CheckReport:
    return check_for_unit(program.rural_unit, program_as_check_input(program_with_rows(program.pk)), on=on)


def _record_check(program: Program, report: CheckReport | None, *, problem: str = "") -> None:
    program.checked_at = timezone.now()
    if report is None:
        program.rule_set_version, program.check_ok = "", None
        program.check_report = {"problem": problem}
    else:
        program.rule_set_version, program.check_ok = report.rule_set, report.ok
        program.check_report = report.to_dict()
    program.save(update_fields=["checked_at", "rule_set_version", "check_ok", "check_report"])


def _check_and_record(program: Program, *, on: date) -> CheckReport | None:
    """A draft's check, stored with the rule set version it used; a check that cannot run (no rule set in
    force) is stored as such instead of failing the save."""
    try:
        report = _check(program, on=on)
    except ApplicationError as exc:
        _record_check(program, None, problem=str(exc.message))
        return None
    _record_check(program, report)
    return report


@transaction.atomic
def program_check(*, program: Program, on: date | None = None) -> CheckReport:
    """Check a saved version now; a draft records the report (a published version keeps the one it was
    published with). ApplicationError when no rule set is in force."""
    program = _lock(program)
    report = _check(program, on=on or timezone.localdate())
    if program.status == ProgramStatus.DRAFT:
        _record_check(program, report)
    return report


def findings_message(report: CheckReport) -> str:
    lines = [f"{finding.promise or _('program')}: {finding.message}" for finding in report.errors]
    return (
        ngettext(
            "The program cannot be published while %(count)d error remains:",
            "The program cannot be published while %(count)d errors remain:",
            len(lines),
        )
        % {"count": len(lines)}
        + "\n"
        + "\n".join(lines)
    )


def refused_for_errors(report: CheckReport) -> ApplicationError:
    return ApplicationError(
        findings_message(report),
        code="check_failed",
        extra={
            "rule_set": report.rule_set,
            "findings": [finding.to_dict() for finding in report.findings],
        },
    )


@transaction.atomic
def program_publish(*, program: Program, actor: Actor, on: date | None = None) -> Program:
    """Publish a draft after checking it in this same transaction: any error refuses, listing the findings.
    An amendment replaces the published version; the tracker's record of each promise carries over by
    number, and a promise the amendment leaves out is shown as dropped with the amendment's reason."""
    program = _lock(program)
    _ensure_draft(program)
    _ensure_program_may_change(program.candidacy)
    if not program.promises.exists():
        raise ApplicationError(_("A program needs at least one promise to be published."), code="empty")
    report = _check(program, on=on or timezone.localdate())
    if not report.ok:
        raise refused_for_errors(report)
    now = timezone.now()
    previous = None
    if program.previous_id is not None:
        previous = Program.objects.select_for_update().get(pk=program.previous_id)
        if previous.status != ProgramStatus.PUBLISHED:
            raise ApplicationError(
                _("The version this draft amends is no longer the published one."), code="stale"
            )
        previous.status = ProgramStatus.SUPERSEDED
        previous.save(update_fields=["status"])
        _carry_tracker_record(previous=previous, program=program, actor=actor, at=now)
    program.status = ProgramStatus.PUBLISHED
    program.published_at = now
    program.published_by = _user(actor)
    program.checked_at = now
    program.rule_set_version, program.check_ok, program.check_report = report.rule_set, True, report.to_dict()
    program.save(
        update_fields=[
            "status",
            "published_at",
            "published_by",
            "checked_at",
            "rule_set_version",
            "check_ok",
            "check_report",
        ]
    )
    stats_rebuild([program.rural_unit_id], today=timezone.localdate())
    audit_record(
        actor=actor,
        action="programs.program_publish",
        subject=program,
        territory=program.rural_unit.kato,
        data={
            "version": program.version,
            "rule_set": report.rule_set,
            "promises": program.promises.count(),
            "cost_kzt": report.totals.cost_kzt,
            "amends": previous.pk if previous else None,
            "amendment_reason": program.amendment_reason,
        },
    )
    return program


def _carry_tracker_record(*, previous: Program, program: Program, actor: Actor, at: datetime) -> None:
    before = {promise.local_id: promise for promise in previous.promises.all()}
    carried = []
    for promise in program.promises.all():
        old = before.pop(promise.local_id, None)
        if old is None:
            continue
        for name in ("status", "status_reason", "progress", "spent_kzt", "status_changed_at"):
            setattr(promise, name, getattr(old, name))
        carried.append(promise)
    Promise.objects.bulk_update(
        carried, ["status", "status_reason", "progress", "spent_kzt", "status_changed_at"]
    )
    for old in before.values():
        old.removed_in = program
        fields = ["removed_in"]
        if old.status in OPEN_PROMISE_STATUSES:
            event = _apply_update(
                old,
                status=PromiseStatus.DROPPED,
                progress=old.progress,
                spent_kzt=None,
                narrative=_("Left out of the program by the amendment of version %(version)d.")
                % {"version": program.version},
                reason=program.amendment_reason,
                at=at,
                actor=actor,
                source=_("amendment"),
                kind=EventKind.REMOVED,
            )
            event.save()
            fields += ["status", "status_reason", "progress", "spent_kzt", "status_changed_at"]
        old.save(update_fields=fields)


@transaction.atomic
def program_amend(*, program: Program, reason: str, actor: Actor) -> Program:
    """A new draft version copying the published one, with the reason for the change; publishing it
    replaces the published version, and the difference between the two stays visible."""
    program = _lock(program)
    if program.status != ProgramStatus.PUBLISHED:
        raise ApplicationError(
            _("Only the published version of a program can be amended."), code="not_published"
        )
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Say why the program is amended."), code="invalid")
    if len(reason) > 4000:
        raise ApplicationError(_("The reason is at most 4000 characters."), code="invalid")
    _ensure_program_may_change(program.candidacy)
    if Program.objects.filter(candidacy_id=program.candidacy_id, status=ProgramStatus.DRAFT).exists():
        raise ApplicationError(
            _("An amendment of this program is being drafted already: finish or discard it first."),
            code="duplicate",
        )
    term_start, term_end = program_term(program.candidacy)
    now = timezone.now()
    draft = Program(
        candidacy=program.candidacy,
        rural_unit=program.rural_unit,
        version=(
            Program.objects.filter(candidacy_id=program.candidacy_id).aggregate(Max("version"))[
                "version__max"
            ]
        )
        + 1,
        summary=program.summary,
        term_start=term_start,
        term_end=term_end,
        previous=program,
        amendment_reason=reason,
        created_by=_user(actor),
        created_at=now,
        updated_at=now,
    )
    try:
        draft.full_clean()
    except ValidationError as exc:
        raise ApplicationError(_messages(exc), code="invalid") from exc
    draft.save()
    source = list(program.promises.prefetch_related("funding_lines").order_by("order", "pk"))
    copies = []
    for promise in source:
        copy = Promise(
            program=draft,
            **{
                f.attname: getattr(promise, f.attname)
                for f in Promise._meta.concrete_fields
                if f.name not in ("id", "program", "removed_in")
            },
        )
        copies.append(copy)
    Promise.objects.bulk_create(copies)
    FundingLine.objects.bulk_create(
        FundingLine(
            promise=copy,
            order=line.order,
            source=line.source,
            plan_item=line.plan_item,
            year=line.year,
            amount_kzt=line.amount_kzt,
        )
        for promise, copy in zip(source, copies, strict=True)
        for line in promise.funding_lines.all()
    )
    _check_and_record(draft, on=timezone.localdate())
    audit_record(
        actor=actor,
        action="programs.program_amend",
        subject=draft,
        territory=draft.rural_unit.kato,
        data={"version": draft.version, "amends": program.pk, "reason": reason},
    )
    return draft


@transaction.atomic
def program_discard(*, program: Program, actor: Actor) -> None:
    """Throw away a draft (an unpublished program or an amendment not yet published)."""
    program = _lock(program)
    _ensure_draft(program)
    facts = {"version": program.version, "candidacy": program.candidacy_id}
    audit_record(
        actor=actor,
        action="programs.program_discard",
        subject=program,
        territory=program.rural_unit.kato,
        data=facts,
    )
    FundingLine.objects.filter(promise__program=program).delete()
    Promise.objects.filter(program=program).delete()
    program.delete()


# --- The tracker: updates of a promise's status ------------------------------------------------------------


def _apply_update(
    promise: Promise,
    *,
    status: str,
    progress: int,
    spent_kzt: int | None,
    narrative: str,
    reason: str = "",
    evidence_note: str = "",
    at: datetime,
    actor: Actor,
    source: str,
    kind: str = EventKind.UPDATE,
) -> PromiseEvent:
    """Check an update and apply it to `promise` in memory; returns the unsaved event. The one rule book for
    the service below and the demo's bulk loader."""
    if status not in PromiseStatus.values or status == PromiseStatus.NOT_RATED:
        raise ApplicationError(
            _("An update rates the promise: choose another status than not yet rated."),
            code="invalid",
        )
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ApplicationError(_("Progress is a whole number from 0 to 100."), code="invalid")
    if status == PromiseStatus.KEPT and progress != 100:
        raise ApplicationError(_("A kept promise is done in full (100 percent)."), code="invalid")
    if spent_kzt is not None and (
        isinstance(spent_kzt, bool) or not isinstance(spent_kzt, int) or spent_kzt < 0
    ):
        raise ApplicationError(
            _("The amount spent is a whole, non-negative number of tenge."), code="invalid"
        )
    narrative = narrative.strip()
    if not narrative:
        raise ApplicationError(_("Say what happened: an update needs a text."), code="invalid")
    reason = (reason or "").strip()
    if status in REASONED_STATUSES and not reason:
        raise ApplicationError(
            _("Give the reason the promise is %(status)s.") % {"status": PromiseStatus(status).label},
            code="invalid",
        )
    if timezone.is_naive(at) or at > timezone.now() + timedelta(minutes=5):
        raise ApplicationError(_("An update cannot be dated in the future."), code="invalid")
    event = PromiseEvent(
        promise=promise,
        at=at,
        actor=_user(actor),
        kind=kind,
        old_status=promise.status,
        new_status=status,
        progress=progress,
        spent_kzt=spent_kzt,
        narrative=narrative,
        evidence_note=evidence_note.strip(),
        source=source.strip()[:100],
    )
    try:
        event.clean_fields(exclude=["promise", "actor"])
    except ValidationError as exc:
        raise ApplicationError(_messages(exc), code="invalid") from exc
    if status != promise.status:
        promise.status_changed_at = at
    promise.status = status
    promise.status_reason = reason if status in REASONED_STATUSES else ""
    promise.progress = progress
    if spent_kzt is not None:
        promise.spent_kzt = spent_kzt
    return event


@transaction.atomic
def promise_record_update(
    *,
    promise: Promise,
    status: str,
    progress: int,
    spent_kzt: int | None,
    narrative: str,
    actor: Actor,
    source: str,
    evidence_note: str = "",
    reason: str = "",
    at: datetime | None = None,
    kind: str = EventKind.UPDATE,
) -> PromiseEvent:
    """Add an entry to the timeline of a sitting akim's promise and set its status, progress and spending.

    `source` says where the update comes from (the akim's page, a report, `esep tick`); `reason` is required
    for broken and dropped; `spent_kzt` None leaves the amount spent as it was. The reports app records its
    updates with evidence through this function."""
    promise = (
        Promise.objects.select_for_update()
        .select_related("program__candidacy", "program__rural_unit")
        .get(pk=promise.pk)
    )
    program = promise.program
    if program.status != ProgramStatus.PUBLISHED or promise.removed_in_id is not None:
        raise ApplicationError(
            _("Only promises of the published version of a program are tracked."), code="not_tracked"
        )
    if not candidacy_holds_mandate(program.candidacy):
        raise ApplicationError(
            _("Only the promises of a sitting akim are tracked: this candidate holds no mandate with them."),
            code="not_tracked",
        )
    event = _apply_update(
        promise,
        status=status,
        progress=progress,
        spent_kzt=spent_kzt,
        narrative=narrative,
        reason=reason,
        evidence_note=evidence_note,
        at=at or timezone.now(),
        actor=actor,
        source=source,
        kind=kind,
    )
    promise.save(update_fields=["status", "status_reason", "progress", "spent_kzt", "status_changed_at"])
    event.save()
    stats_rebuild([program.rural_unit_id], today=timezone.localdate())
    audit_record(
        actor=actor,
        action="programs.promise_update",
        subject=promise,
        territory=program.rural_unit.kato,
        data={
            "promise": promise.local_id,
            "program": program.pk,
            "from": event.old_status,
            "to": event.new_status,
            "progress": event.progress,
            "spent_kzt": event.spent_kzt,
            "source": event.source,
            "event": event.pk,
        },
    )
    return event


@transaction.atomic
def promise_stats_refresh(*, unit_ids: Iterable[int], on: date | None = None) -> int:
    """Recompute the tracker's summary rows of these units (`esep tick` calls it for stale rows)."""
    return stats_rebuild(unit_ids, today=on or timezone.localdate())


@transaction.atomic
def promise_mark_deadline_missed(*, promise_id: int, now: datetime, grace_days: int) -> bool:
    """A sitting akim's promise still open `grace_days` after its deadline counts as broken (the rule set's
    `overdue_to_broken_days`); its timeline says so. Re-checked under the row lock: two ticks never both
    act, and an update recorded meanwhile wins. Returns whether the promise was marked."""
    promise = (
        Promise.objects.select_for_update()
        .select_related("program__candidacy", "program__rural_unit")
        .filter(pk=promise_id)
        .first()
    )
    today = timezone.localdate(now)
    if (
        promise is None
        or promise.status not in OPEN_PROMISE_STATUSES
        or promise.removed_in_id is not None
        or promise.program.status != ProgramStatus.PUBLISHED
        or (today - promise.deadline).days <= grace_days
        or extension_holds(promise, today)
        or not candidacy_holds_mandate(promise.program.candidacy)
    ):
        return False
    reason = _(
        "The deadline %(deadline)s passed more than %(days)d days ago and the promise was not kept."
    ) % {
        "deadline": promise.deadline.isoformat(),
        "days": grace_days,
    }
    event = _apply_update(
        promise,
        status=PromiseStatus.BROKEN,
        progress=promise.progress,
        spent_kzt=None,
        narrative=reason,
        reason=reason,
        at=now,
        actor=None,
        source="esep tick",
        kind=EventKind.DEADLINE_MISSED,
    )
    promise.save(update_fields=["status", "status_reason", "progress", "spent_kzt", "status_changed_at"])
    event.save()
    stats_rebuild([promise.program.rural_unit_id], today=today)
    audit_record(
        actor=None,
        action="programs.promise_deadline_missed",
        subject=promise,
        territory=promise.program.rural_unit.kato,
        data={
            "promise": promise.local_id,
            "deadline": promise.deadline.isoformat(),
            "grace_days": grace_days,
        },
    )
    return True


def _tracked_promise(promise_id: int) -> Promise | None:
    return (
        Promise.objects.select_for_update()
        .select_related("program__candidacy", "program__rural_unit")
        .filter(pk=promise_id)
        .first()
    )


def _ensure_tracked(promise: Promise) -> None:
    if promise.program.status != ProgramStatus.PUBLISHED or promise.removed_in_id is not None:
        raise ApplicationError(
            _("Only promises of the published version of a program are tracked."), code="not_tracked"
        )
    if not candidacy_holds_mandate(promise.program.candidacy):
        raise ApplicationError(
            _("Only the promises of a sitting akim are tracked: this candidate holds no mandate with them."),
            code="not_tracked",
        )


@transaction.atomic
def promise_record_no_change(
    *,
    promise: Promise,
    narrative: str,
    actor: Actor,
    source: str,
    evidence_note: str = "",
    at: datetime | None = None,
) -> PromiseEvent:
    """An entry in the timeline saying nothing changed (a report's "no change", with its reason): the status,
    progress and spending stay as they are, whatever they are, "not yet rated" included."""
    promise = _tracked_promise(promise.pk)
    _ensure_tracked(promise)
    narrative = narrative.strip()
    if not narrative:
        raise ApplicationError(_("Say why nothing changed: a text is required."), code="invalid")
    at = at or timezone.now()
    if timezone.is_naive(at) or at > timezone.now() + timedelta(minutes=5):
        raise ApplicationError(_("An update cannot be dated in the future."), code="invalid")
    event = PromiseEvent(
        promise=promise,
        at=at,
        actor=_user(actor),
        kind=EventKind.NO_CHANGE,
        old_status=promise.status,
        new_status=promise.status,
        progress=promise.progress,
        spent_kzt=None,
        narrative=narrative,
        evidence_note=evidence_note.strip(),
        source=source.strip()[:100],
    )
    try:
        event.clean_fields(exclude=["promise", "actor"])
    except ValidationError as exc:
        raise ApplicationError(_messages(exc), code="invalid") from exc
    event.save()
    audit_record(
        actor=actor,
        action="programs.promise_no_change",
        subject=promise,
        territory=promise.program.rural_unit.kato,
        data={
            "promise": promise.local_id,
            "status": promise.status,
            "source": event.source,
            "event": event.pk,
        },
    )
    return event


def _overdue_marked(promise: Promise) -> bool:
    """The timeline already says this deadline passed (across the versions of the program)."""
    after_deadline = datetime.combine(
        promise.deadline + timedelta(days=1), datetime.min.time(), tzinfo=timezone.get_current_timezone()
    )
    return PromiseEvent.objects.filter(
        promise__program__candidacy_id=promise.program.candidacy_id,
        promise__local_id=promise.local_id,
        kind=EventKind.OVERDUE,
        at__gte=after_deadline,
    ).exists()


@transaction.atomic
def promise_mark_overdue(*, promise_id: int, now: datetime) -> bool:
    """A sitting akim's promise whose deadline has passed without being kept turns overdue at once: its
    status stays (overdue is the state of an open promise past its deadline), and its timeline gets one entry
    saying so, audited. Re-checked under the row lock: two ticks never both write it. Returns whether it was
    written."""
    promise = _tracked_promise(promise_id)
    today = timezone.localdate(now)
    if (
        promise is None
        or promise.status not in OPEN_PROMISE_STATUSES
        or promise.removed_in_id is not None
        or promise.program.status != ProgramStatus.PUBLISHED
        or promise.deadline >= today
        or not candidacy_holds_mandate(promise.program.candidacy)
        or _overdue_marked(promise)
    ):
        return False
    event = PromiseEvent.objects.create(
        promise=promise,
        at=now,
        actor=None,
        kind=EventKind.OVERDUE,
        old_status=promise.status,
        new_status=promise.status,
        progress=promise.progress,
        spent_kzt=None,
        narrative=_("The deadline %(deadline)s passed and the promise is not kept: it is overdue.")
        % {"deadline": promise.deadline.isoformat()},
        source="esep tick",
    )
    audit_record(
        actor=None,
        action="programs.promise_overdue",
        subject=promise,
        territory=promise.program.rural_unit.kato,
        data={"promise": promise.local_id, "deadline": promise.deadline.isoformat(), "event": event.pk},
    )
    return True


def _same_promise(promise: Promise) -> models.Q:
    return models.Q(
        promise__program__candidacy_id=promise.program.candidacy_id, promise__local_id=promise.local_id
    )


def extension_holds(promise: Promise, today: date) -> bool:
    """An approved extension of this promise (any version) whose new date has not passed (one query)."""
    return PromiseExtension.objects.filter(
        _same_promise(promise), status=ExtensionStatus.APPROVED, new_deadline__gte=today
    ).exists()


@transaction.atomic
def promise_extension_file(
    *, promise: Promise, new_deadline: date, reason: str, actor: AbstractBaseUser, today: date | None = None
) -> PromiseExtension:
    """The akim asks for a new date for an open promise of their program, with a reason; one pending request
    at a time. The district supervisor decides (`promise_extension_decide`)."""
    promise = _tracked_promise(promise.pk)
    if promise is None:
        raise ApplicationError(_("No such promise."), code="not_found")
    _ensure_tracked(promise)
    if not access.may(actor, "programs.extension_file", promise.program.rural_unit):
        raise ApplicationError(_("Only the akim of the unit files an extension."), code="forbidden")
    if promise.status not in OPEN_PROMISE_STATUSES:
        raise ApplicationError(
            _("Only a promise still open (not yet rated, in progress, stalled) gets more time."),
            code="closed",
        )
    today = today or timezone.localdate()
    if new_deadline <= max(promise.deadline, today):
        raise ApplicationError(
            _("The new date must come after the deadline (%(deadline)s) and after today.")
            % {"deadline": promise.deadline.isoformat()},
            code="invalid",
        )
    if new_deadline > promise.program.term_end:
        raise ApplicationError(
            _("The new date cannot come after the end of the term (%(end)s).")
            % {"end": promise.program.term_end.isoformat()},
            code="invalid",
        )
    reason = reason.strip()
    if len(reason) < 10:
        raise ApplicationError(_("Give the reason, in at least 10 characters."), code="invalid")
    if PromiseExtension.objects.filter(_same_promise(promise), status=ExtensionStatus.PENDING).exists():
        raise ApplicationError(_("An extension of this promise is waiting for a decision."), code="pending")
    extension = PromiseExtension(
        promise=promise, new_deadline=new_deadline, reason=reason, filed_by=actor, filed_at=timezone.now()
    )
    try:
        extension.full_clean(exclude=["promise", "filed_by"])
    except ValidationError as exc:
        raise ApplicationError(_messages(exc), code="invalid") from exc
    extension.save()
    audit_record(
        actor=actor,
        action="programs.extension_file",
        subject=promise,
        territory=promise.program.rural_unit.kato,
        data={
            "promise": promise.local_id,
            "new_deadline": new_deadline.isoformat(),
            "extension": extension.pk,
        },
    )
    return extension


@transaction.atomic
def promise_extension_decide(
    *, extension: PromiseExtension, approve: bool, note: str, actor: AbstractBaseUser
) -> PromiseExtension:
    """The district supervisor of the unit approves or refuses (a refusal says why); decided once."""
    extension = (
        PromiseExtension.objects.select_for_update()
        .select_related("promise__program__rural_unit")
        .get(pk=extension.pk)
    )
    unit = extension.promise.program.rural_unit
    if not access.may(actor, "programs.extension_decide", unit):
        raise ApplicationError(_("Only the district supervisor of the unit decides."), code="forbidden")
    if extension.status != ExtensionStatus.PENDING:
        raise ApplicationError(_("This extension is decided already."), code="decided")
    note = note.strip()
    if not approve and not note:
        raise ApplicationError(_("Say why the extension is refused."), code="invalid")
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = actor, timezone.now(), note
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        action="programs.extension_decide",
        subject=extension.promise,
        territory=unit.kato,
        data={
            "promise": extension.promise.local_id,
            "extension": extension.pk,
            "status": extension.status,
            "new_deadline": extension.new_deadline.isoformat(),
        },
    )
    return extension


# --- Bulk loading (the national demo): the same rules, written in bulk -------------------------------------


@dataclass(frozen=True)
class UpdateRecord:
    at: datetime
    status: str
    progress: int
    narrative: str
    spent_kzt: int | None = None
    evidence_note: str = ""
    reason: str = ""
    source: str = ""


@dataclass(frozen=True)
class PromiseRecord:
    draft: PromiseDraft
    updates: tuple[UpdateRecord, ...] = ()


@dataclass(frozen=True)
class ProgramRecord:
    """A sitting akim's published program with what has happened to its promises since, and optionally a
    draft amendment that adds promises (it is checked and kept as a draft whatever the check says)."""

    candidacy_id: int
    published_at: datetime
    promises: tuple[PromiseRecord, ...]
    summary: str = ""
    amendment_reason: str = ""
    amendment_at: datetime | None = None
    amendment_adds: tuple[PromiseDraft, ...] = ()


@dataclass
class ProgramBatchReport:
    published: int = 0
    published_promises: int = 0
    drafts: int = 0
    drafts_failing: int = 0
    promises: int = 0
    funding_lines: int = 0
    events: int = 0


class _BatchContext:
    """The checker's context for many units, read in four queries instead of four per unit."""

    def __init__(self, units: list[Territory], *, on: date) -> None:
        from esep.powers.selectors import powers_for_checker
        from esep.programs.selectors import rule_set_in_force

        rule_set = rule_set_in_force(on)
        if rule_set is None:
            raise ApplicationError(
                _("No rule set for the economic block is in force on %(date)s.") % {"date": on.isoformat()},
                code="no_rule_set",
            )
        self.rules = {"version": rule_set.version, **rule_set.parameters}
        self.forecasts: dict[int, dict[str, int]] = defaultdict(dict)
        for unit_id, year, total in (
            LocalBudget.objects.filter(unit__in=units)
            .values("unit_id", "year")
            .annotate(total=models.Sum("amount_kzt"))
            .values_list("unit_id", "year", "total")
        ):
            self.forecasts[unit_id][str(year)] = total
        self.items: dict[str, list[dict]] = defaultdict(list)
        for item in PlanItem.objects.filter(
            plan__region__kato__in={u.region_code for u in units}
        ).select_related("plan__region"):
            self.items[item.plan.region.kato].append(
                {
                    "code": item.code,
                    "title": item.title,
                    "sector": item.sector,
                    "territories": list(item.territories),
                    "allocations": dict(item.allocations),
                    "committed": dict(item.committed),
                }
            )
        self.powers = powers_for_checker()

    def for_unit(self, unit: Territory) -> dict[str, Any]:
        return {
            "rules": self.rules,
            "local_budget": self.forecasts.get(unit.pk, {}),
            "development_plan": self.items.get(unit.region_code, []),
            "powers": self.powers,
        }


@transaction.atomic
def programs_load_batch(
    *, records: list[ProgramRecord], actor: Actor = None, source: str = "batch"
) -> ProgramBatchReport:
    """Load sitting akims' programs into candidacies that have none yet. Every row is checked with the
    models' rules, every program with the checker (a published one must pass, as `program_publish` demands),
    every update with the rules of `promise_record_update`; all or nothing; one audit event per batch."""
    batch = _ProgramBatch(records, actor=actor)
    for index, record in enumerate(records):
        where = _("program %(number)d (candidacy %(id)s)") % {"number": index + 1, "id": record.candidacy_id}
        try:
            batch.add(record)
        except ValidationError as exc:
            raise ApplicationError(f"{where}: {_messages(exc)}", code="invalid") from exc
        except ApplicationError as exc:
            raise ApplicationError(f"{where}: {exc.message}", code=exc.code, extra=exc.extra) from exc
    report = batch.write()
    if report.published:
        audit_record(
            actor=actor,
            action="programs.programs_load_batch",
            subject_type="programs.program",
            subject_id=source,
            data={"source": source, **vars(report)},
        )
    return report


def _copy_promise(promise: Promise, program: Program) -> Promise:
    """The promise in another version: its text and its tracker's record, under the same number."""
    skip = ("id", "program", "removed_in")
    return Promise(
        program=program,
        **{
            f.attname: getattr(promise, f.attname)
            for f in Promise._meta.concrete_fields
            if f.name not in skip
        },
    )


def _copy_lines(lines: list[FundingLine], promise: Promise) -> list[FundingLine]:
    return [
        FundingLine(
            promise=promise,
            order=line.order,
            source=line.source,
            plan_item=line.plan_item,
            year=line.year,
            amount_kzt=line.amount_kzt,
        )
        for line in lines
    ]


class _ProgramBatch:
    def __init__(self, records: list[ProgramRecord], *, actor: Actor) -> None:
        self.actor = actor
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.candidacies = {
            c.pk: c
            for c in Candidacy.objects.select_related("election__rural_unit").filter(
                pk__in=[r.candidacy_id for r in records]
            )
        }
        busy = Program.objects.filter(candidacy_id__in=list(self.candidacies)).values_list(
            "candidacy_id", flat=True
        )
        if first_busy := busy.first():
            raise ApplicationError(
                _("Candidacy %(id)s has a program already: a batch loads candidacies with none.")
                % {"id": first_busy},
                code="duplicate",
            )
        self.mandates = {
            (m.election_id, m.person_id): m
            for m in Mandate.objects.current().filter(
                election_id__in={c.election_id for c in self.candidacies.values()}
            )
        }
        self.context = _BatchContext(
            [c.election.rural_unit for c in self.candidacies.values()], on=self.today
        )
        self.powers = _powers_by_code(
            [p.draft for r in records for p in r.promises] + [d for r in records for d in r.amendment_adds]
        )
        self.report = ProgramBatchReport()
        self.programs: list[Program] = []
        self.drafts: list[tuple[Program, Program]] = []  # (draft, the published version it amends)
        self.promises: list[Promise] = []
        self.lines: list[FundingLine] = []
        self.events: list[PromiseEvent] = []

    def _check(self, program: Program, drafts: list[PromiseDraft]) -> CheckReport:
        data = as_check_input(
            unit_kato=program.rural_unit.kato,
            term_start=program.term_start,
            term_end=program.term_end,
            promises=drafts,
        )
        return check_with_context(data, self.context.for_unit(program.rural_unit))

    def _build(
        self, program: Program, drafts: list[PromiseDraft], numbers: Iterator[str]
    ) -> list[tuple[Promise, list[FundingLine], PromiseDraft]]:
        built = []
        for index, draft in enumerate(drafts, 1):
            promise = Promise(program=program, local_id=next(numbers))
            where = _("Promise %(number)s") % {"number": promise.local_id}
            _fill_promise(promise, draft, self.powers, index)
            _validate_promise(promise, where)
            built.append(
                (promise, _funding_lines(promise, draft, where), replace(draft, local_id=promise.local_id))
            )
        return built

    def add(self, record: ProgramRecord) -> None:
        candidacy = self.candidacies.get(record.candidacy_id)
        if candidacy is None:
            raise ApplicationError(_("There is no such candidacy."))
        mandate = self.mandates.get((candidacy.election_id, candidacy.person_id))
        if mandate is None:
            raise ApplicationError(_("Its candidate holds no current mandate won with it."))
        if timezone.is_naive(record.published_at) or record.published_at > self.now:
            raise ApplicationError(_("A program cannot be published in the future."))
        if len(record.promises) + len(record.amendment_adds) > MAX_PROMISES:
            raise ApplicationError(_("A program has at most %(count)d promises.") % {"count": MAX_PROMISES})
        program = Program(
            candidacy=candidacy,
            rural_unit=candidacy.election.rural_unit,
            version=1,
            status=ProgramStatus.PUBLISHED,
            summary=record.summary.strip(),
            term_start=mandate.starts_on,
            term_end=mandate.ends_on,
            published_at=record.published_at,
            checked_at=self.now,
            created_at=record.published_at,
            updated_at=record.published_at,
        )
        program.clean_fields(exclude=["candidacy", "rural_unit", "previous", "published_by", "created_by"])
        numbers = (f"P{n}" for n in range(1, MAX_PROMISES * 100))
        own = self._build(program, [p.draft for p in record.promises], numbers)
        report = self._check(program, [draft for _p, _l, draft in own])
        if not report.ok:
            raise refused_for_errors(report)
        program.rule_set_version, program.check_ok, program.check_report = (
            report.rule_set,
            True,
            report.to_dict(),
        )
        for (promise, lines, _draft), promise_record in zip(own, record.promises, strict=True):
            self._apply_updates(promise, promise_record.updates, after=record.published_at)
            self.promises.append(promise)
            self.lines.extend(lines)
        self.programs.append(program)
        if record.amendment_adds:
            self._add_amendment(program, record, own, numbers)

    def _apply_updates(self, promise: Promise, updates: tuple[UpdateRecord, ...], *, after: datetime) -> None:
        for update in updates:
            if update.at < after:
                raise ApplicationError(
                    _("%(promise)s: updates come in time order, after the program is published.")
                    % {"promise": promise.local_id}
                )
            after = update.at
            self.events.append(
                _apply_update(
                    promise,
                    status=update.status,
                    progress=update.progress,
                    spent_kzt=update.spent_kzt,
                    narrative=update.narrative,
                    reason=update.reason,
                    evidence_note=update.evidence_note,
                    at=update.at,
                    actor=self.actor,
                    source=update.source,
                )
            )

    def _add_amendment(
        self, published: Program, record: ProgramRecord, own: list, numbers: Iterator[str]
    ) -> None:
        at = record.amendment_at or self.now
        draft = Program(
            candidacy=published.candidacy,
            rural_unit=published.rural_unit,
            version=2,
            summary=published.summary,
            term_start=published.term_start,
            term_end=published.term_end,
            amendment_reason=record.amendment_reason.strip(),
            created_at=at,
            updated_at=at,
            checked_at=self.now,
        )
        if not draft.amendment_reason:
            raise ApplicationError(_("Say why the program is amended."))
        added = self._build(draft, list(record.amendment_adds), numbers)
        report = self._check(draft, [d for _p, _l, d in own] + [d for _p, _l, d in added])
        draft.rule_set_version, draft.check_ok, draft.check_report = (
            report.rule_set,
            report.ok,
            report.to_dict(),
        )
        for promise, lines, _draft in own:
            copy = _copy_promise(promise, draft)
            self.promises.append(copy)
            self.lines.extend(_copy_lines(lines, copy))
        for promise, lines, _draft in added:
            self.promises.append(promise)
            self.lines.extend(lines)
        self.drafts.append((draft, published))
        self.report.drafts_failing += not report.ok

    def write(self) -> ProgramBatchReport:
        # Each row refers to its parent object; bulk_create takes the parents' new keys from them.
        Program.objects.bulk_create(self.programs, batch_size=_BATCH)
        for draft, published in self.drafts:
            draft.previous = published
        Program.objects.bulk_create([draft for draft, _published in self.drafts], batch_size=_BATCH)
        Promise.objects.bulk_create(self.promises, batch_size=_BATCH)
        FundingLine.objects.bulk_create(self.lines, batch_size=_BATCH)
        PromiseEvent.objects.bulk_create(self.events, batch_size=_BATCH)
        stats_rebuild({program.rural_unit_id for program in self.programs}, today=self.today)
        report = self.report
        report.published, report.drafts = len(self.programs), len(self.drafts)
        report.published_promises = sum(p.program.status == ProgramStatus.PUBLISHED for p in self.promises)
        report.promises, report.funding_lines, report.events = (
            len(self.promises),
            len(self.lines),
            len(self.events),
        )
        return report
