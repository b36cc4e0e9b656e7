"""Writes of the programs app: rule sets, development plans, local budgets. Each one transaction, audited.

Plans and budgets come as CSV (docs/program-format.md). An import is all or nothing: every row is read and
checked first, every error is reported with its line and field, and only a clean file is written. A second run
of the same file changes nothing. The demo data goes through the same `*_rows_load` functions as the files.
"""

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from esep.core.audit.chain import audit_record
from esep.core.errors import ApplicationError
from esep.core.imports import ImportFailed, ImportResult, RowError, read_csv_rows
from esep.powers.models import Sector
from esep.programs.checker import MAX_YEAR, MIN_YEAR
from esep.programs.models import (
    BudgetSource,
    DevelopmentPlan,
    LocalBudget,
    PlanItem,
    RuleSet,
    rule_parameters_with_defaults,
)
from esep.territory.models import Level, Territory

_KATO = re.compile(r"[0-9]{9}")
_PLAN_YEARS = re.compile(r"([0-9]{4})\s*-\s*([0-9]{4})")
_ITEM_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]*")
_WHOLE = re.compile(r"[0-9]+")
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
