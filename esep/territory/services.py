"""Writes to the territory: the KATO import, and the unit figures (voters, population) others fill in."""

import hashlib
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from esep.core.audit.chain import audit_record
from esep.core.errors import ApplicationError
from esep.core.imports import ImportResult
from esep.territory.kato import KatoRow, parse_kato_csv
from esep.territory.models import Level, Territory

_LEVEL_ORDER = [Level.REGION, Level.DISTRICT, Level.UNIT, Level.SETTLEMENT]
_COPIED_FIELDS = [
    "kato_version",
    "level",
    "kind",
    "type_code",
    "name_kk",
    "name_ru",
    "name_en",
    "has_elected_akim",
]


def _search_text(row: KatoRow) -> str:
    return " | ".join(name.lower() for name in (row.name_kk, row.name_ru, row.name_en))


@transaction.atomic
def territory_import(
    *,
    path: Path | str,
    actor: AbstractBaseUser | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Bring the territory in line with a KATO CSV file. All or nothing; a second run changes nothing."""
    rows = parse_kato_csv(path)
    existing = {t.kato: t for t in Territory.objects.all()}
    result = ImportResult()
    done = 0
    id_by_kato = {kato: territory.pk for kato, territory in existing.items()}
    to_update: list[Territory] = []
    for level in _LEVEL_ORDER:
        new_rows: list[Territory] = []
        for row in (r for r in rows if r.level == level):
            parent_id = id_by_kato[row.parent_kato] if row.parent_kato else None
            values = {name: getattr(row, name) for name in _COPIED_FIELDS}
            values["search_text"] = _search_text(row)
            current = existing.get(row.kato)
            if current is None:
                new_rows.append(Territory(kato=row.kato, parent_id=parent_id, **values))
            elif current.parent_id != parent_id or any(getattr(current, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(current, name, value)
                current.parent_id = parent_id
                to_update.append(current)
            else:
                result.unchanged += 1
            done += 1
            if progress:
                progress(done, len(rows))
        # Parents must have ids before their children are built, so each level is saved before the next.
        for territory in Territory.objects.bulk_create(new_rows, batch_size=2000):
            id_by_kato[territory.kato] = territory.pk
        result.created += len(new_rows)
    if to_update:
        Territory.objects.bulk_update(to_update, [*_COPIED_FIELDS, "search_text", "parent"], batch_size=2000)
        result.updated = len(to_update)
    in_file = {row.kato for row in rows}
    absent = sorted(set(existing) - in_file)
    if absent:
        # Units referenced by elections and requests are kept; the note tells the operator to review them.
        result.notes.append(
            _("%(count)d territories in the database are not in the file and were kept: %(codes)s")
            % {"count": len(absent), "codes": ", ".join(absent[:20])}
        )
    if result.changed:
        audit_record(
            actor=actor,
            action="territory.import",
            subject_type="territory.kato",
            subject_id=rows[0].kato_version,
            data={
                "file": Path(path).name,
                "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(),
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    return result


@transaction.atomic
def unit_set_figures(
    *, unit: Territory, voters: int | None, population: int | None, actor: AbstractBaseUser | None = None
) -> Territory:
    """Record a unit's registered voters and population (from the commission and the statistics bureau)."""
    if unit.level != Level.UNIT:
        raise ApplicationError(_("Voters and population are recorded for sub-district units only."))
    for name, value in (("voters", voters), ("population", population)):
        if value is not None and value < 0:
            raise ApplicationError(_("%(field)s cannot be negative.") % {"field": name})
    if voters is not None and population is not None and voters > population:
        raise ApplicationError(_("A unit cannot have more voters than inhabitants."))
    unit.voters, unit.population = voters, population
    unit.full_clean()
    unit.save(update_fields=["voters", "population"])
    audit_record(
        actor=actor,
        action="territory.figures",
        subject=unit,
        territory=unit.kato,
        data={"voters": voters, "population": population},
    )
    return unit
