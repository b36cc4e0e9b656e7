"""Does a dashboard cost the same with 100,000 requests and with 10 million? Measured, not assumed.

A dashboard reads the requests' summary tables (`AppealStat`, `AppealAnswerDays`), never the requests (a test
asserts that no dashboard query touches the requests or promises tables). So what a volume of requests changes
for a dashboard is how full those tables are: `fill(requests)` writes them as the services would leave them
after `requests` requests spread over every rural unit, the last 12 months and every category (at 10 million
nearly every (unit, month, category) cell holds a row; at 100,000 one in six does), then `measure()` times
the country, a region and a district dashboard on a fresh connection. `run()` does both for each volume and
finally recounts the summary tables from the requests themselves (`esep.appeals.stats.stats_rebuild`, what
`esep appeals rebuild-stats` runs), so the counters say again what the database holds. Run it on a copy of
the database: the counters are replaced while it runs.
"""

import gc
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from esep.appeals.bulk import insert_rows
from esep.appeals.deadlines import add_months
from esep.appeals.models import AppealAnswerDays, AppealStat, Category
from esep.appeals.stats import COUNTERS, scopes_of, stats_rebuild
from esep.territory.models import Territory

MONTHS = 12
# Shares that keep the synthetic counters plausible (the demo's figures): what happens to a request.
FORWARDED, ANSWERED, ON_TIME = 0.25, 0.9, 0.86


@dataclass(frozen=True)
class Timing:
    requests: int
    counter_rows: int
    histogram_rows: int
    page: str
    milliseconds: float


def _cells(units: list[str], months: list[date], categories: list[int], requests: int, rng: random.Random):
    """(unit, month, category) -> requests: a multinomial spread, sampled per request when the volume is
    small and approximated per cell (normal) when it is large."""
    cells = len(units) * len(months) * len(categories)
    if requests <= 2 * cells:
        counts: dict[tuple, int] = defaultdict(int)
        for _n in range(requests):
            counts[(rng.choice(units), rng.choice(months), rng.choice(categories))] += 1
        yield from counts.items()
        return
    mean = requests / cells
    for unit in units:
        for month in months:
            for category in categories:
                count = max(0, round(rng.gauss(mean, mean**0.5)))
                if count:
                    yield (unit, month, category), count


def _split(count: int, rng: random.Random) -> dict[str, int]:
    forwarded = round(count * FORWARDED)
    answered = min(count - forwarded, round(count * ANSWERED))
    on_time = round(answered * ON_TIME)
    days = answered * rng.randint(3, 9)
    return {
        "registered": count,
        "forwarded": forwarded,
        "answered": answered,
        "answered_on_time": on_time,
        "missed": answered - on_time,
        "extended": 0,
        "confirmed": 0,
        "disputed": 0,
        "answer_days_total": days,
    }


@transaction.atomic
def fill(requests: int, *, today: date, seed: int = 1) -> tuple[int, int]:
    """Replace the requests' summary rows by those `requests` requests would leave; (counter rows, histogram
    rows)."""
    rng = random.Random(seed)  # noqa: S311 (synthetic figures, not secrets)
    units = list(Territory.objects.elected_units().values_list("kato", flat=True))
    categories = list(Category.objects.values_list("pk", flat=True))
    since = add_months(today.replace(day=1), -(MONTHS - 1))
    months = [add_months(since, index) for index in range(MONTHS)]
    counters: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    histogram: dict[tuple, int] = defaultdict(int)
    for (unit, month, category), count in _cells(units, months, categories, requests, rng):
        split = _split(count, rng)
        for scope in scopes_of(unit):
            row = counters[(scope, month, category)]
            for name, value in split.items():
                row[name] += value
        for _answer in range(min(split["answered"], 8)):  # a few buckets per cell: days 0..30
            bucket = rng.randint(0, 30)
            for scope in scopes_of(unit):
                histogram[(scope, month, bucket)] += max(1, split["answered"] // 8)
    AppealStat.objects.all().delete()
    AppealAnswerDays.objects.all().delete()
    insert_rows(
        AppealStat,
        ["scope", "month", "category_id", *COUNTERS],
        ((scope, month, category, *row.values()) for (scope, month, category), row in counters.items()),
    )
    insert_rows(
        AppealAnswerDays,
        ["scope", "month", "days", "count"],
        ((scope, month, days, count) for (scope, month, days), count in histogram.items()),
    )
    return len(counters), len(histogram)


def pages() -> list[tuple[str, str]]:
    """The country, the region with the most units, and its district with the most units."""
    units = Territory.objects.elected_units().values_list("kato", flat=True)
    by_region: dict[str, int] = defaultdict(int)
    by_district: dict[str, int] = defaultdict(int)
    for kato in units:
        by_region[kato[:2]] += 1
        by_district[kato[:4]] += 1
    region = max(by_region, key=lambda code: by_region[code])
    district = max(
        (code for code in by_district if code.startswith(region)), key=lambda code: by_district[code]
    )
    return [
        ("country", "/dashboard/"),
        ("region", f"/dashboard/{region}0000000/"),
        ("district", f"/dashboard/{district}00000/"),
    ]


def measure(url: str, repeat: int, host: str) -> float:
    """The fastest of `repeat` requests of `url` in milliseconds, after one that warms the caches: on a shared
    machine the minimum is the page's own cost; slower runs add what other processes took (timeit's rule)."""
    connection.close()  # a fresh connection, as a server process after the data was written
    gc.collect()
    client = Client(HTTP_HOST=host)
    client.get(url)
    times = []
    for _n in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return min(times) * 1000


def run(volumes: list[int], *, repeat: int = 15, rounds: int = 2, host: str = "127.0.0.1") -> list[Timing]:
    """Fill and time each volume in turn, `rounds` times over (so that a busy moment of the machine does not
    fall on one volume only), keep each page's fastest time, then recount the summaries from the requests."""
    today = timezone.localdate()
    targets = pages()
    best: dict[tuple[int, str], Timing] = {}
    try:
        for _round in range(rounds):
            for requests in volumes:
                counter_rows, histogram_rows = fill(requests, today=today)
                for page, url in targets:
                    timing = Timing(requests, counter_rows, histogram_rows, page, measure(url, repeat, host))
                    known = best.get((requests, page))
                    if known is None or timing.milliseconds < known.milliseconds:
                        best[(requests, page)] = timing
    finally:
        stats_rebuild()
    return list(best.values())
