"""The catalogue of powers shipped as esep/powers/data/powers.csv, and the owners of sectors shipped as
esep/powers/data/sector_owners.csv, both loaded by data migrations."""

import csv
from pathlib import Path
from typing import Any

from esep.powers.models import power_search_text

DATA = Path(__file__).resolve().parent / "data"
POWERS_CSV = DATA / "powers.csv"
SECTOR_OWNERS_CSV = DATA / "sector_owners.csv"
COLUMNS = [
    "code",
    "level",
    "body",
    "sector",
    "act",
    "article",
    "item",
    "status",
    "wording",
    "text_ru",
    "text_kk",
    "text_en",
    "basis_checked",
]
TRUE_WORDS = {"true", "1", "yes", "да", "иә"}


def parse_flag(value: str) -> bool:
    return value.strip().lower() in TRUE_WORDS


def read_powers_csv(path: Path = POWERS_CSV) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            {column: (row.get(column) or "").strip() for column in COLUMNS} for row in csv.DictReader(handle)
        ]


def seed_powers(power_model: Any, path: Path = POWERS_CSV) -> int:
    """Create the powers of the file that are not in the table yet (by code); return how many were created.

    Takes the model as an argument so a data migration can pass its historical model; columns the model
    does not have yet (basis_checked before migration 0003) are left out.
    """
    field_names = {field.name for field in power_model._meta.get_fields()}
    existing = set(power_model.objects.values_list("code", flat=True))
    new_powers = []
    for row in read_powers_csv(path):
        if row["code"] in existing:
            continue
        values: dict[str, Any] = {name: value for name, value in row.items() if name in field_names}
        if "basis_checked" in values:
            values["basis_checked"] = parse_flag(values["basis_checked"])
        search_text = power_search_text(
            row["code"], row["text_kk"], row["text_ru"], row["text_en"], row["body"]
        )
        new_powers.append(power_model(**values, search_text=search_text))
    power_model.objects.bulk_create(new_powers)
    return len(new_powers)


def update_shipped_powers(
    power_model: Any, previous: dict[str, dict[str, str]], path: Path = POWERS_CSV
) -> int:
    """Bring powers an earlier release shipped in line with the file; return how many powers changed.

    `previous` maps a code to the values the earlier release shipped for the fields the file changes now.
    A field is changed only where the table still holds that shipped value: an analyst's edit is kept, and a
    second run changes nothing.
    """
    rows = {row["code"]: row for row in read_powers_csv(path)}
    changed = 0
    for power in power_model.objects.filter(code__in=previous):
        row = rows[power.code]
        fields = []
        for name, shipped in previous[power.code].items():
            if name != "basis_checked" and shipped != row[name] and getattr(power, name) == shipped:
                setattr(power, name, row[name])
                fields.append(name)
        # The mark follows the file only where the table now cites what the file cites.
        shipped_mark = previous[power.code].get("basis_checked")
        checked = parse_flag(row["basis_checked"])
        if (
            shipped_mark is not None
            and power.basis_checked == parse_flag(shipped_mark)
            and power.basis_checked != checked
            and (power.article, power.item) == (row["article"], row["item"])
        ):
            power.basis_checked = checked
            fields.append("basis_checked")
        if not fields:
            continue
        if {"text_kk", "text_ru", "text_en", "body"} & set(fields):
            power.search_text = power_search_text(
                power.code, power.text_kk, power.text_ru, power.text_en, power.body
            )
            fields.append("search_text")
        power.save(update_fields=fields)
        changed += 1
    return changed


def mark_checked_bases(power_model: Any, path: Path = POWERS_CSV) -> int:
    """Set basis_checked on the powers the file marks as checked (never clears a mark); return the count."""
    codes = [row["code"] for row in read_powers_csv(path) if parse_flag(row["basis_checked"])]
    return power_model.objects.filter(code__in=codes, basis_checked=False).update(basis_checked=True)


def read_sector_owners_csv(path: Path = SECTOR_OWNERS_CSV) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            {column: (row.get(column) or "").strip() for column in ("sector", "level", "body", "note")}
            for row in csv.DictReader(handle)
        ]


def seed_sector_owners(owner_model: Any, path: Path = SECTOR_OWNERS_CSV) -> int:
    existing = set(owner_model.objects.values_list("sector", flat=True))
    rows = [owner_model(**row) for row in read_sector_owners_csv(path) if row["sector"] not in existing]
    owner_model.objects.bulk_create(rows)
    return len(rows)
