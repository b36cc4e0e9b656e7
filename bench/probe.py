"""In-process measurements against a generated database (no load): query counts, page times, profiles.

    python -m bench.probe queries MANIFEST.json      # JSON: queries and status of each measured page
    python -m bench.probe time PATH [PATH...]        # JSON: median seconds of each page (in turn, 15 rounds)
    python -m bench.probe shrink N                   # keep the first N requests, recount (a copy only!)
    python -m bench.probe dashboards                 # JSON: the summary pages that answer 200
    python -m bench.probe import FILE.csv            # JSON: esep.appeals.importer.appeals_import's report
    python -m bench.probe profile PATH               # pyinstrument text of 8 renders of PATH

The database comes from the environment (ESEP_DATABASE_URL or ESEP_VAR_DIR), as for bench/generate.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    os.environ.setdefault("ESEP_SECRET_KEY", "esep-bench-secret-key-not-for-production-0123456789abcdef")
    os.environ.setdefault("ESEP_IIN_PEPPER", "esep-bench-pepper")
    os.environ.setdefault("ESEP_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esep.settings")
    os.environ["ESEP_ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["ESEP_RATE_LIMITS"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def query_pages(manifest: dict) -> dict[str, str]:
    """The pages whose query count is reported; the akim page at the fewest and the most promises."""
    from bench.scenarios import api_promise_paths, open311_paths

    sample = manifest["sample"]
    fewest, most = sample["promise_counts"]["min"], sample["promise_counts"]["max"]
    pages = {
        "ceiling": "/bench/ceiling",
        f"akim page, {fewest} promises": f"/programs/unit/{sample['unit_fewest_promises']}/",
        f"akim page, {most} promises": f"/programs/unit/{sample['unit_most_promises']}/",
        "promise list API (50 a page)": api_promise_paths(sample)[0],
        "Open311 request list (a unit)": open311_paths(sample)[0],
    }
    pages.update(manifest.get("dashboards", {}))
    return pages


def queries(manifest_path: str) -> dict:
    from bench.pages import measure

    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    result = {}
    for name, path in query_pages(manifest).items():
        measure(path)  # warm caches so that one-off loads (translations, territory cache) do not count
        page = measure(path)
        result[name] = {"path": path, "status": page.status, "queries": page.queries, "bytes": page.bytes}
    return result


def shrink(keep: int) -> dict:
    """Delete every request but the first `keep` (by id) and recount the summaries: the same dataset at a
    smaller size, for timing the dashboards at both sizes side by side. Destructive: a working copy only."""
    from django.db import connection, transaction

    from esep.appeals.models import Appeal
    from esep.appeals.stats import stats_rebuild

    last = Appeal.private_objects.order_by("pk").values_list("pk", flat=True)[keep - 1 : keep].first()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("appeals_notification", "appeals_appealphoto", "appeals_appealevent"):
            cursor.execute(f"DELETE FROM {table} WHERE appeal_id > %s", [last])  # noqa: S608 (fixed names)
        cursor.execute("DELETE FROM appeals_appeal WHERE id > %s", [last])
        rows, buckets = stats_rebuild()
        cursor.execute("ANALYZE")
    return {"kept": Appeal.private_objects.count(), "stat_rows": rows, "histogram_rows": buckets}


def alternate(paths: list[str], rounds: int = 15) -> dict:
    """Median seconds of each page, rendering them in turn so that both see the same load."""
    import statistics
    import time

    from bench.pages import client

    browser = client()
    for path in paths:
        browser.get(path)
    times: dict[str, list[float]] = {path: [] for path in paths}
    for _round in range(rounds):
        for path in paths:
            started = time.perf_counter()
            browser.get(path)
            times[path].append(time.perf_counter() - started)
    return {path: statistics.median(values) for path, values in times.items()}


def times(paths: list[str]) -> dict:
    from bench.pages import median_seconds

    return {path: median_seconds(path)[0] for path in paths}


def profile(path: str, renders: int = 8) -> str:
    from pyinstrument import Profiler

    from bench.pages import client

    browser = client()
    browser.get(path)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _render in range(renders):
        browser.get(path)
    profiler.stop()
    return profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False)


def main(argv: list[str]) -> int:
    setup()
    action, *rest = argv
    if action == "queries":
        print(json.dumps(queries(rest[0])))
    elif action == "dashboards":
        from bench.generate import codes, dashboard_paths
        from esep.territory.models import Level

        print(json.dumps(dashboard_paths(codes(Level.REGION))))
    elif action == "import":
        from esep.appeals.importer import appeals_import

        report = appeals_import(path=rest[0])
        print(json.dumps({"created": report.created, "seconds": report.seconds, "last": report.last_number}))
    elif action == "shrink":
        print(json.dumps(shrink(int(rest[0]))))
    elif action == "time":
        print(json.dumps(alternate(rest)))
    elif action == "profile":
        print(profile(rest[0]))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
