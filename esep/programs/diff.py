"""What an amendment changed: promises added, left out, and the fields changed, between two loaded versions.

Promises are matched by their number (P1, P2...), which names one promise in every version of a program.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from esep.programs.checker import tenge
from esep.programs.models import FundingSource, Program, Promise


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class PromiseChange:
    local_id: str
    title: str
    changes: list[Change]


@dataclass
class ProgramDiff:
    added: list[Promise] = field(default_factory=list)
    removed: list[Promise] = field(default_factory=list)
    changed: list[PromiseChange] = field(default_factory=list)
    summary: Change | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.summary)


def _number(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)


def _indicator(promise: Promise) -> str:
    if not promise.indicator_name:
        return "—"
    unit = f" {promise.indicator_unit}" if promise.indicator_unit else ""
    baseline, target = _number(promise.indicator_baseline), _number(promise.indicator_target)
    return f"{promise.indicator_name}: {baseline} → {target}{unit}"


def funding_text(promise: Promise) -> str:
    lines = []
    for line in promise.funding_lines.all():
        item = f" {line.plan_item}" if line.plan_item else ""
        lines.append(f"{FundingSource(line.source).label}{item}, {line.year}: {tenge(line.amount_kzt)}")
    return "; ".join(lines) or "—"


def described(promise: Promise) -> dict[str, tuple[str, str]]:
    """Each compared field as (label, text)."""
    return {
        "title": (_("title"), promise.title),
        "description": (_("description"), promise.description or "—"),
        "sector": (_("sector"), promise.get_sector_display()),
        "power": (_("power"), promise.power.code if promise.power_id else "—"),
        "indicator": (_("indicator"), _indicator(promise)),
        "deadline": (_("deadline"), promise.deadline.isoformat()),
        "cost": (_("cost, tenge"), tenge(promise.cost_kzt)),
        "funding": (_("funding"), funding_text(promise)),
    }


def program_diff(before: Program, after: Program) -> ProgramDiff:
    """The difference between two versions whose promises, powers and funding lines are loaded."""
    old = {promise.local_id: promise for promise in before.promises.all()}
    new = {promise.local_id: promise for promise in after.promises.all()}
    diff = ProgramDiff(
        added=[promise for local_id, promise in new.items() if local_id not in old],
        removed=[promise for local_id, promise in old.items() if local_id not in new],
    )
    for local_id, promise in new.items():
        if local_id not in old:
            continue
        then, now = described(old[local_id]), described(promise)
        changes = [
            Change(label=now[name][0], before=then[name][1], after=now[name][1])
            for name in now
            if then[name][1] != now[name][1]
        ]
        if changes:
            diff.changed.append(PromiseChange(local_id=local_id, title=promise.title, changes=changes))
    if before.summary != after.summary:
        diff.summary = Change(label=_("summary"), before=before.summary or "—", after=after.summary or "—")
    return diff
