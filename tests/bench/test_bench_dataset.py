"""The benchmark's requests are seeded and import cleanly; the report states each target's verdict."""

from datetime import date
from pathlib import Path

from bench import dataset
from bench.report import write_report
from bench.scenarios import api_promise_paths, open311_paths
from esep.appeals.importer import appeals_import
from esep.appeals.models import Appeal
from esep.territory.models import Territory
from tests.appeals.conftest import at

NOW = at(date(2026, 6, 1), 12)


def units() -> list[tuple[str, int]]:
    return list(Territory.objects.elected_units().order_by("kato").values_list("kato", "population")[:50])


def test_the_same_seed_writes_the_same_file_and_it_imports_cleanly(db, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    dataset.write_requests(first, count=300, units=units(), now=NOW, seed=5)
    dataset.write_requests(second, count=300, units=units(), now=NOW, seed=5)
    assert first.read_bytes() == second.read_bytes()

    report = appeals_import(path=first, now=NOW)
    assert report.created == Appeal.private_objects.count() == 300
    assert 0 < report.answered < 300


def test_the_time_span_grows_past_a_year_with_the_volume() -> None:
    assert dataset.span_days(100_000) == 365
    assert 1000 < dataset.span_days(10_000_000) < 1100


SAMPLE = {
    "units": ["103230000", "103233000"],
    "districts": ["103200000", "113600000"],
    "regions": ["100000000", "110000000"],
}


def test_the_list_scenarios_ask_for_filtered_pages() -> None:
    promises = api_promise_paths(SAMPLE)
    assert any("sector=" in path for path in promises) and any("overdue=true" in path for path in promises)
    open311 = open311_paths(SAMPLE)
    assert all(path.startswith("/open311/v2/requests.json?jurisdiction_id=") for path in open311)


def scenario(name: str, rps: float, p50: float, p99: float, *, half: bool = False) -> dict:
    return {
        "name": name,
        "title": name,
        "half_ceiling": half,
        "paths": 1,
        "example": "/",
        "rps": rps,
        "p50_ms": p50,
        "p95_ms": p99,
        "p99_ms": p99,
        "errors": 0,
        "requests": 100,
    }


def test_the_report_marks_each_target_met_or_missed(tmp_path: Path) -> None:
    manifest = {
        "requests": 1000,
        "seconds": 10,
        "steps": [],
        "sample": {"promise_counts": {"min": 5, "max": 15, "programs": 2, "promises": 20}},
        "dashboard_timings": {"100": {"dashboard_country": 0.010}, "1000": {"dashboard_country": 0.020}},
    }
    result = {
        "manifest": manifest,
        "queries": {
            "akim page, 5 promises": {"path": "/a", "status": 200, "queries": 8},
            "akim page, 15 promises": {"path": "/b", "status": 200, "queries": 8},
        },
        "scenarios": [
            scenario("ceiling", 1000, 5, 10),
            scenario("akim_page", 400, 10, 80, half=True),
            scenario("open311", 600, 10, 30, half=True),
        ],
        "profiles": {},
        "import": {"rows": 1000, "seconds": 0.05, "wall_seconds": 1, "rows_per_s": 20_000, "existing": 1000},
    }
    output = tmp_path / "RESULTS.md"
    write_report(
        output,
        args={"workers": 2, "threads": 4, "connections": 8, "warmup": 1, "duration": 2, "smoke": True},
        machine={"nproc": 2, "python": "3.11", "load_before": (1.0, 1, 1), "load_after": (1.0, 1, 1)},
        databases={"sqlite": result, "postgres": {"skipped": "no binaries"}},
        command="make bench-smoke",
    )
    text = output.read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    assert "MISSED" in rows["akim_page"]  # 40% of the ceiling and p99 = 8x p50
    assert "**met**" in rows["open311"]
    assert "MISSED" in rows["dashboard ratio"]  # 2.0 > 1.5
    assert "**met**" in rows["import rows/s"] and "**met**" in rows["query count independent of promises"]
    assert "Skipped: no binaries" in text
