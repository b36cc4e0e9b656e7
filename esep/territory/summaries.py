"""Per-unit summary rows (one row per rural unit, with its KATO code, district and region copied so that
area filters need no join), written in bulk: the shared writer of programs' and reports' statistics."""

from collections.abc import Callable, Sequence
from datetime import date

from django.db import models

from esep.core.kato import district_code, region_code
from esep.territory.models import Territory


def unit_rows_write(
    model: type[models.Model],
    unit_ids: Sequence[int],
    figures: dict[int, dict],
    *,
    names: Sequence[str],
    wanted: Callable[[dict], bool],
    batch: int,
) -> int:
    """Bring the rows of `unit_ids` to `figures` (unit id -> values of `names`): a missing row is created
    when `wanted(values)`, an existing one updated only when a value changed. Returns how many rows changed;
    call inside the caller's transaction."""
    existing = {row.unit_id: row for row in model.objects.filter(unit_id__in=unit_ids)}
    katos = dict(
        Territory.objects.filter(pk__in=[i for i in unit_ids if i not in existing]).values_list("pk", "kato")
    )
    new, updated = [], []
    for unit_id, values in figures.items():
        row = existing.get(unit_id)
        if row is None:
            if not wanted(values):
                continue
            kato = katos[unit_id]
            new.append(
                model(
                    unit_id=unit_id,
                    kato=kato,
                    district=district_code(kato),
                    region=region_code(kato),
                    **values,
                )
            )
        elif any(getattr(row, name) != values[name] for name in names):
            for name in names:
                setattr(row, name, values[name])
            updated.append(row)
    model.objects.bulk_create(new, batch_size=batch)
    model.objects.bulk_update(updated, list(names), batch_size=batch)
    return len(new) + len(updated)


def stale_rows_rebuild(
    stale: Callable[..., list[int]], refresh: Callable[..., int], *, today: date, batch: int = 500
) -> int:
    """Rebuild every stale row, `batch` units at a time: `stale(today=, limit=)` names the units,
    `refresh(unit_ids=, on=)` rebuilds them and says how many rows changed. Returns that total. Bounded: a
    round that finds fewer than `batch` units is the last."""
    changed = 0
    for _round in range(100_000 // batch + 1):
        units = stale(today=today, limit=batch)
        if not units:
            break
        changed += refresh(unit_ids=units, on=today)
        if len(units) < batch:
            break
    return changed
