"""Pages measured without load, in-process through Django's test client: query counts and median times.

Needs Django set up (bench.generate and bench.probe do it). Nothing here writes to the database.
"""

import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class PageMeasure:
    path: str
    status: int
    queries: int
    bytes: int


def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="ru", HTTP_HOST="127.0.0.1")


def measure(path: str, *, browser: Client | None = None) -> PageMeasure:
    browser = browser or client()
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(path)
    return PageMeasure(path, response.status_code, len(captured), len(response.content))


def median_seconds(path: str, *, repeat: int = 7, browser: Client | None = None) -> tuple[float, int]:
    """The median of `repeat` timed renders after one warm-up render; also the status of the last one."""
    browser = browser or client()
    status = browser.get(path).status_code
    times = []
    for _attempt in range(repeat):
        started = time.perf_counter()
        status = browser.get(path).status_code
        times.append(time.perf_counter() - started)
    return statistics.median(times), status


def exists(path: str) -> bool:
    """The page answers 200 (an app still being built may not have it yet, or fail on it)."""
    try:
        return client().get(path).status_code == 200
    except Exception as exc:  # noqa: BLE001 (reported and left out, not measured)
        print(f"  {path}: {type(exc).__name__}: {exc}", flush=True)
        return False
