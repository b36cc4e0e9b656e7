"""The program checker: holds a program's economic block against the rules, budget, plan and powers.

Pure: no database, no ORM. The input is plain JSON (docs/program-format.md); `parse_program` and
`parse_context` turn it into frozen dataclasses or raise `CheckInputError` naming the JSON path of the first
problem, and `check_program` returns a `CheckReport` whose `to_dict()` is the documented OUTPUT. The web UI,
the API and the CLI (`esep programs check`) all call these three functions.
"""

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FUNDING_SOURCES = ("local_budget", "district_budget", "development_plan", "republican_program", "sponsor")
LOCAL_BUDGET = "local_budget"
DEVELOPMENT_PLAN = "development_plan"
POWER_LEVELS = ("rural", "district", "region", "police", "other")
RURAL = "rural"
ERROR = "error"
WARNING = "warning"
MIN_YEAR, MAX_YEAR = 2000, 2100

FUNDING_MISSING = "FUNDING_MISSING"
FUNDING_SHORT = "FUNDING_SHORT"
FUNDING_YEAR_OUTSIDE_TERM = "FUNDING_YEAR_OUTSIDE_TERM"
DEADLINE_OUTSIDE_TERM = "DEADLINE_OUTSIDE_TERM"
LOCAL_BUDGET_UNKNOWN_YEAR = "LOCAL_BUDGET_UNKNOWN_YEAR"
LOCAL_BUDGET_EXCEEDED = "LOCAL_BUDGET_EXCEEDED"
PLAN_ITEM_UNKNOWN = "PLAN_ITEM_UNKNOWN"
PLAN_TERRITORY_MISMATCH = "PLAN_TERRITORY_MISMATCH"
PLAN_ITEM_OVERCOMMITTED = "PLAN_ITEM_OVERCOMMITTED"
OUTSIDE_POWERS = "OUTSIDE_POWERS"
NO_INDICATOR = "NO_INDICATOR"

SEVERITIES = {
    FUNDING_MISSING: ERROR,
    FUNDING_SHORT: ERROR,
    FUNDING_YEAR_OUTSIDE_TERM: ERROR,
    DEADLINE_OUTSIDE_TERM: ERROR,
    LOCAL_BUDGET_UNKNOWN_YEAR: ERROR,
    LOCAL_BUDGET_EXCEEDED: ERROR,
    PLAN_ITEM_UNKNOWN: ERROR,
    PLAN_TERRITORY_MISMATCH: ERROR,
    PLAN_ITEM_OVERCOMMITTED: ERROR,
    OUTSIDE_POWERS: ERROR,
    NO_INDICATOR: WARNING,
}

_KATO = re.compile(r"[0-9]{9}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR_KEY = re.compile(r"[0-9]{4}")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_YEARS = {"min": MIN_YEAR, "max": MAX_YEAR}


class CheckInputError(ValueError):
    """The input itself is not valid: `path` is a JSON path such as `$.promises[2].funding[0].amount_kzt`."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


# --- The data the checker works on ---------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str = ""
    baseline: int | float | None = None
    target: int | float | str | None = None

    @property
    def has_numeric_target(self) -> bool:
        return isinstance(self.target, int | float)


@dataclass(frozen=True)
class FundingLine:
    source: str
    year: int
    amount_kzt: int
    plan_item: str | None = None


@dataclass(frozen=True)
class Promise:
    id: str
    title: str
    deadline: date
    cost_kzt: int
    power: str | None = None
    indicator: Indicator | None = None
    funding: tuple[FundingLine, ...] = ()

    @property
    def funded_kzt(self) -> int:
        return sum(line.amount_kzt for line in self.funding)


@dataclass(frozen=True)
class Term:
    start: date
    end: date


@dataclass(frozen=True)
class Program:
    rural_unit: str
    term: Term
    promises: tuple[Promise, ...] = ()

    @property
    def district_code(self) -> str:
        return self.rural_unit[:4] + "00000"

    @property
    def region_code(self) -> str:
        return self.rural_unit[:2] + "0000000"


@dataclass(frozen=True)
class Rules:
    version: str
    max_local_budget_share: Decimal
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanItem:
    code: str
    territories: tuple[str, ...]
    allocations: dict[int, int] = field(default_factory=dict)
    committed: dict[int, int] = field(default_factory=dict)
    title: str = ""
    sector: str = ""

    def available(self, year: int) -> int:
        """What is left to take in `year`; a year the plan does not allocate has nothing."""
        return self.allocations.get(year, 0) - self.committed.get(year, 0)


@dataclass(frozen=True)
class PowerRef:
    code: str
    level: str


@dataclass(frozen=True)
class CheckContext:
    rules: Rules
    local_budget: dict[int, int]
    plan_items: dict[str, PlanItem]
    powers: dict[str, PowerRef]


@dataclass(frozen=True)
class Finding:
    code: str
    promise: str | None
    message: str

    @property
    def severity(self) -> str:
        return SEVERITIES[self.code]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "promise": self.promise,
            "message": self.message,
        }


@dataclass(frozen=True)
class Totals:
    cost_kzt: int
    funded_kzt: int
    by_source: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"cost_kzt": self.cost_kzt, "funded_kzt": self.funded_kzt, "by_source": dict(self.by_source)}


@dataclass(frozen=True)
class CheckReport:
    rule_set: str
    findings: tuple[Finding, ...]
    totals: Totals

    @property
    def ok(self) -> bool:
        return not any(finding.severity == ERROR for finding in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == WARNING]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rule_set": self.rule_set,
            "findings": [finding.to_dict() for finding in self.findings],
            "totals": self.totals.to_dict(),
        }


# --- Parsing: JSON values in, dataclasses out, or the path of the first problem ----------------------------


def _key_path(path: str, key: str) -> str:
    return f"{path}.{key}" if _IDENTIFIER.fullmatch(key) else f"{path}[{key!r}]"


def _object(value: Any, path: str, *, required: Iterable[str], optional: Iterable[str] = ()) -> dict:
    """A JSON object with exactly these keys: a misspelt key is an error, not silently ignored."""
    if not isinstance(value, dict):
        raise CheckInputError(path, _("must be an object"))
    required, allowed = list(required), {*required, *optional}
    unknown = sorted(str(key) for key in value if key not in allowed)
    if unknown:
        raise CheckInputError(
            _key_path(path, unknown[0]),
            _("unknown key; allowed keys are %(keys)s") % {"keys": ", ".join(sorted(allowed))},
        )
    for key in required:
        if key not in value:
            raise CheckInputError(_key_path(path, key), _("is required"))
    return value


def _list(value: Any, path: str) -> list:
    if not isinstance(value, list):
        raise CheckInputError(path, _("must be a list"))
    return value


def _text(value: Any, path: str, *, required: bool = True, max_length: int = 500) -> str:
    if not isinstance(value, str):
        raise CheckInputError(path, _("must be text"))
    value = value.strip()
    if required and not value:
        raise CheckInputError(path, _("must not be empty"))
    if len(value) > max_length:
        raise CheckInputError(path, _("must be at most %(count)d characters") % {"count": max_length})
    return value


def _optional_text(value: Any, path: str, *, max_length: int = 500) -> str:
    return "" if value is None else _text(value, path, required=False, max_length=max_length)


def _whole_number(value: Any, path: str, *, minimum: int) -> int:
    """An integer; an integral float passes (JSON writers differ), text and booleans do not."""
    if isinstance(value, bool):
        raise CheckInputError(path, _("must be a number, not true or false"))
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise CheckInputError(path, _("must be a whole number"))
        value = int(value)
    if not isinstance(value, int):
        raise CheckInputError(path, _("must be a number"))
    if value < minimum:
        raise CheckInputError(path, _("must be at least %(minimum)d") % {"minimum": minimum})
    return value


def _amount(value: Any, path: str, *, minimum: int = 0) -> int:
    """Money is whole tenge."""
    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        raise CheckInputError(path, _("must be a whole number of tenge"))
    return _whole_number(value, path, minimum=minimum)


def _year(value: Any, path: str) -> int:
    year = _whole_number(value, path, minimum=MIN_YEAR)
    if year > MAX_YEAR:
        raise CheckInputError(path, _("must be a year between %(min)d and %(max)d") % _YEARS)
    return year


def _year_key(key: Any, path: str) -> int:
    if not isinstance(key, str) or not _YEAR_KEY.fullmatch(key) or not MIN_YEAR <= int(key) <= MAX_YEAR:
        raise CheckInputError(
            _key_path(path, str(key)), _("a key must be a year between %(min)d and %(max)d") % _YEARS
        )
    return int(key)


def _number(value: Any, path: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CheckInputError(path, _("must be a number"))
    if isinstance(value, float) and not math.isfinite(value):
        raise CheckInputError(path, _("must be a finite number"))
    return value


def _date(value: Any, path: str) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise CheckInputError(path, _("must be a date written YYYY-MM-DD"))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CheckInputError(path, _("is not a real date")) from None


def _kato(value: Any, path: str) -> str:
    if not isinstance(value, str) or not _KATO.fullmatch(value):
        raise CheckInputError(path, _("must be a KATO code of 9 digits, written as text"))
    return value


def _amounts_by_year(value: Any, path: str) -> dict[int, int]:
    if not isinstance(value, dict):
        raise CheckInputError(path, _("must be an object of year: amount"))
    return {
        _year_key(key, path): _amount(amount, _key_path(path, str(key)), minimum=0)
        for key, amount in value.items()
    }


def _indicator(value: Any, path: str) -> Indicator | None:
    if value is None:
        return None
    data = _object(value, path, required=["name"], optional=["unit", "baseline", "target"])
    baseline = data.get("baseline")
    target = data.get("target")
    if isinstance(target, str):
        # A target in words ("all streets lit") is allowed, and earns the NO_INDICATOR warning.
        target = _text(target, f"{path}.target", required=False)
    elif target is not None:
        target = _number(target, f"{path}.target")
    return Indicator(
        name=_text(data["name"], f"{path}.name", max_length=200),
        unit=_optional_text(data.get("unit"), f"{path}.unit", max_length=50),
        baseline=None if baseline is None else _number(baseline, f"{path}.baseline"),
        target=target,
    )


def _funding_line(value: Any, path: str) -> FundingLine:
    data = _object(value, path, required=["source", "year", "amount_kzt"], optional=["plan_item"])
    source = data["source"]
    if source not in FUNDING_SOURCES:
        raise CheckInputError(
            f"{path}.source",
            _("unknown funding source; use one of %(sources)s") % {"sources": ", ".join(FUNDING_SOURCES)},
        )
    plan_item = data.get("plan_item")
    if source == DEVELOPMENT_PLAN:
        if plan_item is None:
            raise CheckInputError(f"{path}.plan_item", _("a development_plan line must name its plan item"))
        plan_item = _text(plan_item, f"{path}.plan_item", max_length=32)
    elif plan_item is not None:
        # A plan item on another source is almost always a wrong source: say so rather than guess.
        raise CheckInputError(f"{path}.plan_item", _("only a development_plan line names a plan item"))
    return FundingLine(
        source=source,
        year=_year(data["year"], f"{path}.year"),
        amount_kzt=_amount(data["amount_kzt"], f"{path}.amount_kzt", minimum=1),
        plan_item=plan_item,
    )


def _promise(value: Any, path: str) -> Promise:
    data = _object(
        value,
        path,
        required=["id", "title", "deadline", "cost_kzt"],
        optional=["power", "indicator", "funding"],
    )
    power = data.get("power")
    funding = _list(data.get("funding", []), f"{path}.funding")
    return Promise(
        id=_text(data["id"], f"{path}.id", max_length=64),
        title=_text(data["title"], f"{path}.title"),
        deadline=_date(data["deadline"], f"{path}.deadline"),
        cost_kzt=_amount(data["cost_kzt"], f"{path}.cost_kzt", minimum=0),
        power=_optional_text(power, f"{path}.power", max_length=64) or None,
        indicator=_indicator(data.get("indicator"), f"{path}.indicator"),
        funding=tuple(_funding_line(line, f"{path}.funding[{i}]") for i, line in enumerate(funding)),
    )


def parse_program(data: Any) -> Program:
    """The PROGRAM JSON (already decoded) as a `Program`; `CheckInputError` names the first bad path."""
    data = _object(data, "$", required=["rural_unit", "term", "promises"])
    rural_unit = _kato(data["rural_unit"], "$.rural_unit")
    term_data = _object(data["term"], "$.term", required=["start", "end"])
    term = Term(start=_date(term_data["start"], "$.term.start"), end=_date(term_data["end"], "$.term.end"))
    if term.start > term.end:
        raise CheckInputError("$.term.end", _("the term cannot end before it starts"))
    promises = []
    seen: set[str] = set()
    for index, value in enumerate(_list(data["promises"], "$.promises")):
        promise = _promise(value, f"$.promises[{index}]")
        if promise.id in seen:
            raise CheckInputError(
                f"$.promises[{index}].id", _("the id %(id)s is used twice") % {"id": promise.id}
            )
        seen.add(promise.id)
        promises.append(promise)
    return Program(rural_unit=rural_unit, term=term, promises=tuple(promises))


def _rules(value: Any, path: str) -> Rules:
    if not isinstance(value, dict):
        raise CheckInputError(path, _("must be an object"))
    for key in ("version", "max_local_budget_share"):
        if key not in value:
            raise CheckInputError(f"{path}.{key}", _("is required"))
    share = _number(value["max_local_budget_share"], f"{path}.max_local_budget_share")
    if not 0 <= share <= 1:
        raise CheckInputError(f"{path}.max_local_budget_share", _("must be between 0 and 1"))
    # Through str(): 0.3 is the decimal 0.3 its author wrote, not the binary float nearest to it.
    return Rules(
        version=_text(value["version"], f"{path}.version", max_length=32),
        max_local_budget_share=Decimal(str(share)),
        parameters={str(k): v for k, v in value.items() if k not in ("version", "max_local_budget_share")},
    )


def _plan_item(value: Any, path: str) -> PlanItem:
    data = _object(
        value,
        path,
        required=["code", "territories"],
        optional=["allocations", "committed", "title", "sector"],
    )
    territories = _list(data["territories"], f"{path}.territories")
    return PlanItem(
        code=_text(data["code"], f"{path}.code", max_length=32),
        territories=tuple(_kato(code, f"{path}.territories[{i}]") for i, code in enumerate(territories)),
        allocations=_amounts_by_year(data.get("allocations", {}), f"{path}.allocations"),
        committed=_amounts_by_year(data.get("committed", {}), f"{path}.committed"),
        title=_optional_text(data.get("title"), f"{path}.title"),
        sector=_optional_text(data.get("sector"), f"{path}.sector", max_length=32),
    )


def _power(value: Any, path: str) -> PowerRef:
    data = _object(value, path, required=["code", "level"])
    level = data["level"]
    if level not in POWER_LEVELS:
        raise CheckInputError(
            f"{path}.level", _("unknown level; use one of %(levels)s") % {"levels": ", ".join(POWER_LEVELS)}
        )
    return PowerRef(code=_text(data["code"], f"{path}.code", max_length=64), level=level)


def parse_context(data: Any) -> CheckContext:
    """The CONTEXT JSON (already decoded) as a `CheckContext`; `CheckInputError` names the first bad path."""
    data = _object(data, "$", required=["rules", "local_budget", "development_plan", "powers"])
    rules = _rules(data["rules"], "$.rules")
    local_budget = _amounts_by_year(data["local_budget"], "$.local_budget")
    plan_items: dict[str, PlanItem] = {}
    for index, value in enumerate(_list(data["development_plan"], "$.development_plan")):
        item = _plan_item(value, f"$.development_plan[{index}]")
        if item.code in plan_items:
            raise CheckInputError(
                f"$.development_plan[{index}].code",
                _("the code %(code)s is used twice") % {"code": item.code},
            )
        plan_items[item.code] = item
    powers: dict[str, PowerRef] = {}
    for index, value in enumerate(_list(data["powers"], "$.powers")):
        power = _power(value, f"$.powers[{index}]")
        if power.code in powers:
            raise CheckInputError(
                f"$.powers[{index}].code", _("the code %(code)s is used twice") % {"code": power.code}
            )
        powers[power.code] = power
    return CheckContext(rules=rules, local_budget=local_budget, plan_items=plan_items, powers=powers)


# --- The check ------------------------------------------------------------------------------------------


def tenge(amount: int) -> str:
    """150000000 -> '150 000 000': grouped the same way in all three languages."""
    return f"{amount:,}".replace(",", " ")


def _level_name(level: str) -> str:
    return {
        "rural": _("rural akim"),
        "district": _("district akim"),
        "region": _("region akim"),
        "police": _("police"),
        "other": _("another state body"),
    }[level]


def _codes(codes: Iterable[str]) -> str:
    return ", ".join(sorted(set(codes)))


def _funding_findings(promise: Promise, program: Program) -> Iterable[Finding]:
    funded = promise.funded_kzt
    if promise.cost_kzt > 0 and not promise.funding:
        yield Finding(
            FUNDING_MISSING,
            promise.id,
            _("The promise costs %(cost)s tenge but has no funding lines.")
            % {"cost": tenge(promise.cost_kzt)},
        )
    if 0 < funded < promise.cost_kzt:
        yield Finding(
            FUNDING_SHORT,
            promise.id,
            _("The funding lines add up to %(funded)s tenge: %(gap)s short of the cost of %(cost)s tenge.")
            % {
                "funded": tenge(funded),
                "gap": tenge(promise.cost_kzt - funded),
                "cost": tenge(promise.cost_kzt),
            },
        )
    start, end = program.term.start.year, program.term.end.year
    outside = sorted({line.year for line in promise.funding if not start <= line.year <= end})
    if outside:
        yield Finding(
            FUNDING_YEAR_OUTSIDE_TERM,
            promise.id,
            ngettext(
                "Funding in year %(years)s falls outside the term's years %(start)d-%(end)d.",
                "Funding in years %(years)s falls outside the term's years %(start)d-%(end)d.",
                len(outside),
            )
            % {"years": ", ".join(str(year) for year in outside), "start": start, "end": end},
        )


def _plan_findings(promise: Promise, program: Program, context: CheckContext) -> Iterable[Finding]:
    named = [line.plan_item for line in promise.funding if line.source == DEVELOPMENT_PLAN and line.plan_item]
    unknown = sorted({code for code in named if code not in context.plan_items})
    if unknown:
        yield Finding(
            PLAN_ITEM_UNKNOWN,
            promise.id,
            ngettext(
                "The regional development plan has no item %(codes)s.",
                "The regional development plan has no items %(codes)s.",
                len(unknown),
            )
            % {"codes": _codes(unknown)},
        )
    own_codes = {program.rural_unit, program.district_code, program.region_code}
    elsewhere = sorted(
        {
            code
            for code in named
            if code in context.plan_items and own_codes.isdisjoint(context.plan_items[code].territories)
        }
    )
    if elsewhere:
        yield Finding(
            PLAN_TERRITORY_MISMATCH,
            promise.id,
            ngettext(
                "Plan item %(codes)s covers neither this rural unit, nor its district, nor its region.",
                "Plan items %(codes)s cover neither this rural unit, nor its district, nor its region.",
                len(elsewhere),
            )
            % {"codes": _codes(elsewhere)},
        )


def _power_findings(promise: Promise, context: CheckContext) -> Iterable[Finding]:
    if promise.power is None:
        message = _("The promise names no power of the rural akim it rests on.")
    elif promise.power not in context.powers:
        message = _("The power %(power)s is not in the catalogue of powers.") % {"power": promise.power}
    elif context.powers[promise.power].level != RURAL:
        message = _("The power %(power)s belongs to the %(level)s, not to the rural akim.") % {
            "power": promise.power,
            "level": _level_name(context.powers[promise.power].level),
        }
    else:
        return
    yield Finding(OUTSIDE_POWERS, promise.id, message)


def _promise_findings(promise: Promise, program: Program, context: CheckContext) -> list[Finding]:
    findings = [*_funding_findings(promise, program), *_plan_findings(promise, program, context)]
    if not program.term.start <= promise.deadline <= program.term.end:
        findings.append(
            Finding(
                DEADLINE_OUTSIDE_TERM,
                promise.id,
                _("The deadline %(deadline)s is outside the term %(start)s to %(end)s.")
                % {
                    "deadline": promise.deadline.isoformat(),
                    "start": program.term.start.isoformat(),
                    "end": program.term.end.isoformat(),
                },
            )
        )
    findings.extend(_power_findings(promise, context))
    if promise.indicator is None:
        findings.append(
            Finding(NO_INDICATOR, promise.id, _("The promise has no indicator to measure it by."))
        )
    elif not promise.indicator.has_numeric_target:
        findings.append(
            Finding(
                NO_INDICATOR,
                promise.id,
                _("The indicator %(name)s has no numeric target.") % {"name": promise.indicator.name},
            )
        )
    return sorted(findings, key=lambda finding: finding.code)


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}"


def _program_findings(program: Program, context: CheckContext) -> list[Finding]:
    lines = [line for promise in program.promises for line in promise.funding]
    keyed: list[tuple[tuple, Finding]] = []
    local_by_year: dict[int, int] = defaultdict(int)
    for line in lines:
        if line.source == LOCAL_BUDGET:
            local_by_year[line.year] += line.amount_kzt
    share = context.rules.max_local_budget_share
    for year, amount in sorted(local_by_year.items()):
        forecast = context.local_budget.get(year)
        if forecast is None:
            message = _(
                "The program spends %(amount)s tenge of the local budget in %(year)d, "
                "but there is no budget forecast for that year."
            ) % {"amount": tenge(amount), "year": year}
            keyed.append(
                ((LOCAL_BUDGET_UNKNOWN_YEAR, year), Finding(LOCAL_BUDGET_UNKNOWN_YEAR, None, message))
            )
        elif Decimal(amount) > share * Decimal(forecast):
            message = _(
                "In %(year)d the program spends %(amount)s tenge of the local budget: more than %(share)s%% "
                "of the forecast of %(forecast)s tenge, that is %(limit)s tenge (rule set %(version)s)."
            ) % {
                "year": year,
                "amount": tenge(amount),
                "share": _percent(share),
                "forecast": tenge(forecast),
                "limit": tenge(int(share * Decimal(forecast))),
                "version": context.rules.version,
            }
            keyed.append(((LOCAL_BUDGET_EXCEEDED, year), Finding(LOCAL_BUDGET_EXCEEDED, None, message)))
    taken: dict[tuple[str, int], int] = defaultdict(int)
    for line in lines:
        if line.source == DEVELOPMENT_PLAN and line.plan_item in context.plan_items:
            taken[(line.plan_item, line.year)] += line.amount_kzt
    for (code, year), amount in sorted(taken.items()):
        item = context.plan_items[code]
        if amount > item.available(year):
            message = _(
                "In %(year)d the program takes %(amount)s tenge from plan item %(code)s, but only "
                "%(available)s tenge of it is free (allocated %(allocated)s, committed %(committed)s)."
            ) % {
                "year": year,
                "amount": tenge(amount),
                "code": code,
                "available": tenge(max(item.available(year), 0)),
                "allocated": tenge(item.allocations.get(year, 0)),
                "committed": tenge(item.committed.get(year, 0)),
            }
            keyed.append(
                ((PLAN_ITEM_OVERCOMMITTED, code, year), Finding(PLAN_ITEM_OVERCOMMITTED, None, message))
            )
    return [finding for _key, finding in sorted(keyed, key=lambda pair: pair[0])]


def _totals(program: Program) -> Totals:
    by_source = dict.fromkeys(FUNDING_SOURCES, 0)
    for promise in program.promises:
        for line in promise.funding:
            by_source[line.source] += line.amount_kzt
    return Totals(
        cost_kzt=sum(promise.cost_kzt for promise in program.promises),
        funded_kzt=sum(by_source.values()),
        by_source=by_source,
    )


def check_program(program: Program, context: CheckContext) -> CheckReport:
    """Every finding of the program against its context: promises in program order (each promise's findings
    by code), then the program-level findings (by code, then plan item and year)."""
    findings: list[Finding] = []
    for promise in program.promises:
        findings.extend(_promise_findings(promise, program, context))
    findings.extend(_program_findings(program, context))
    return CheckReport(rule_set=context.rules.version, findings=tuple(findings), totals=_totals(program))


def check_json(program_data: Any, context_data: Any) -> CheckReport:
    """Parse both documents and check: the one call the API and the CLI make."""
    return check_program(parse_program(program_data), parse_context(context_data))
