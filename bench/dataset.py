"""Seeded CSV files of residents' requests in the format of `esep appeals import` (docs/appeals.md).

The same seed and size give the same file on every machine. Requests spread over the units by population
and over the categories by the demo's weights; a year of requests (3.5 million a year nationally, so 10
million span about three years) ends just before `now`; most are answered, some late, some never.
"""

import csv
import random
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from itertools import accumulate
from pathlib import Path
from zoneinfo import ZoneInfo

from esep.appeals.demo import ANSWERS, PROFILE, STREETS, TEXTS

ALMATY = ZoneInfo("Asia/Almaty")
REQUESTS_PER_YEAR = 3_500_000
COLUMNS = [
    "unit",
    "category",
    "registered_at",
    "text",
    "address",
    "latitude",
    "longitude",
    "answered_at",
    "answer",
]


def span_days(total: int) -> int:
    """Days the requests spread over: at least a year, longer when there are more than a year's worth."""
    return max(365, round(total / REQUESTS_PER_YEAR * 365))


def write_requests(
    path: Path,
    *,
    count: int,
    units: Sequence[tuple[str, int]],
    now: datetime,
    seed: int,
    total: int | None = None,
) -> int:
    """Write `count` requests (units: (KATO, population)) to `path`, ordered by registration; return count.

    `total` is the size of the whole dataset when this file is one part of it (it sets the time span).
    """
    rng = random.Random(seed)  # noqa: S311 (seeded benchmark data)
    days = span_days(total or count)
    now = now.astimezone(ALMATY)
    latest = now - timedelta(minutes=5)
    codes = list(PROFILE)
    unit_codes = [kato for kato, _population in units]
    unit_weights = list(accumulate(population or 1 for _kato, population in units))
    code_weights = list(accumulate(PROFILE[code][0] for code in codes))
    chosen_units = rng.choices(unit_codes, cum_weights=unit_weights, k=count)
    chosen_codes = rng.choices(codes, cum_weights=code_weights, k=count)
    # Texts once per template and street: the file stays realistic without formatting a million strings.
    texts = {
        code: [
            template.format(street=street, house=house)
            for template in TEXTS.get(code) or ["Прошу рассмотреть мой вопрос."]
            for street in STREETS
            for house in (3, 12, 27, 48)
        ]
        for code in codes
    }
    rows = []
    today = now.date()
    for kato, code in zip(chosen_units, chosen_codes, strict=True):
        day = today - timedelta(days=rng.randrange(days))
        if day.weekday() >= 5 and rng.random() < 0.75:
            day -= timedelta(days=day.weekday() - 4)  # most weekend requests arrive on Friday
        registered = datetime.combine(day, time(9 + rng.randrange(9), rng.randrange(60)), tzinfo=ALMATY)
        registered = min(registered, latest)
        roll = rng.random()
        answered = ""
        answer = ""
        if roll < 0.96:
            delay = rng.randint(1, 19) if roll < 0.86 else rng.randint(22, 50)  # calendar days
            moment = registered + timedelta(days=delay, hours=rng.randrange(6))
            if moment < latest:
                answered = moment.strftime("%Y-%m-%d %H:%M")
                answer = rng.choice(ANSWERS)
        located = rng.random() < 0.3
        rows.append(
            (
                registered,
                kato,
                code,
                rng.choice(texts[code]),
                f"ул. {rng.choice(STREETS)}, {rng.randint(1, 120)}",
                f"{rng.uniform(41.0, 54.5):.6f}" if located else "",
                f"{rng.uniform(50.0, 86.0):.6f}" if located else "",
                answered,
                answer,
            )
        )
    rows.sort(key=lambda row: row[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for registered, *rest in rows:
            writer.writerow([rest[0], rest[1], registered.strftime("%Y-%m-%d %H:%M"), *rest[2:]])
    return len(rows)
