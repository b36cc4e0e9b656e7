"""The first catalogue of powers, shipped as esep/powers/data/powers.csv and loaded by a data migration."""

import csv
from pathlib import Path
from typing import Any

from esep.powers.models import power_search_text

POWERS_CSV = Path(__file__).resolve().parent / "data" / "powers.csv"
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
]


def read_powers_csv(path: Path = POWERS_CSV) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            {column: (row.get(column) or "").strip() for column in COLUMNS} for row in csv.DictReader(handle)
        ]


def seed_powers(power_model: Any, path: Path = POWERS_CSV) -> int:
    """Create the powers of the file that are not in the table yet (by code); return how many were created.

    Takes the model as an argument so the data migration can pass its historical model.
    """
    existing = set(power_model.objects.values_list("code", flat=True))
    new_powers = [
        power_model(
            **row,
            search_text=power_search_text(
                row["code"], row["text_kk"], row["text_ru"], row["text_en"], row["body"]
            ),
        )
        for row in read_powers_csv(path)
        if row["code"] not in existing
    ]
    power_model.objects.bulk_create(new_powers)
    return len(new_powers)
