"""Build a national dataset for the benchmarks through the project's own bulk paths.

    bench/generate --database sqlite --requests 1000000          # SQLite in bench/out/sqlite-1000000-s2026/
    ESEP_DATABASE_URL=postgresql://... bench/generate --database postgres --requests 10000000

Steps: migrate; import KATO (all 2,321 units); the demo loaders of the apps below appeals (demo accounts, the
elections with a sitting akim in every unit, rule set, plans, budgets and a published program of 5-15
promises per akim, and the reports and recall demos when those apps have them); the request categories; then
the requests, written as seeded CSV files of at most a million rows and loaded with `esep appeals import`
(COPY on PostgreSQL, executemany on SQLite; registration numbers, deadlines, history and summary counters as
the services keep them). `--checkpoints 100000` times the dashboards when the dataset reaches those sizes,
which gives the dashboard ratio t(N)/t(100k) in one build. Last: ANALYZE, and a manifest (JSON) that names
what was built, how long each step took, and the sample of pages the scenarios request.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PART_ROWS = 1_000_000
# The demo steps the dataset needs (from settings.ESEP_DEMO_STEPS, in its order); the requests are the
# benchmark's own. Reports and recall are being built: a failure of theirs is noted, not fatal.
REQUIRED_STEPS = ("esep.demo.accounts.", "esep.elections.demo.", "esep.programs.demo.")
OPTIONAL_STEPS = ("esep.reports.demo.", "esep.recall.demo.")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=1_000_000, help="residents' requests (default 1M)")
    parser.add_argument("--signatures", type=int, default=200_000, help="recall signatures (default 200k)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--var-dir", type=Path, help="ESEP_VAR_DIR (SQLite, static)")
    parser.add_argument(
        "--checkpoints",
        default="",
        help="comma-separated dataset sizes at which to time the dashboards, e.g. 100000",
    )
    parser.add_argument("--manifest", type=Path, help="where to write the manifest (default VAR_DIR)")
    parser.add_argument(
        "--regions", default="", help="only these regions (two-digit KATO prefixes, comma-separated)"
    )
    return parser.parse_args(argv)


def dataset_key(requests: int, seed: int) -> str:
    return f"{requests}-s{seed}"


def configure(args: argparse.Namespace) -> Path:
    """Point Django at the chosen database before it is set up; return the var dir."""
    if args.database == "sqlite":
        os.environ.pop("ESEP_DATABASE_URL", None)
        var_dir = args.var_dir or OUT / f"sqlite-{dataset_key(args.requests, args.seed)}"
    else:
        if not os.environ.get("ESEP_DATABASE_URL", "").startswith("postgres"):
            sys.exit("bench/generate --database postgres needs ESEP_DATABASE_URL=postgresql://...")
        var_dir = args.var_dir or OUT / "var-postgres"
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["ESEP_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("ESEP_SECRET_KEY", "esep-bench-secret-key-not-for-production-0123456789abcdef")
    os.environ.setdefault("ESEP_IIN_PEPPER", "esep-bench-pepper")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esep.settings")
    os.environ.setdefault("ESEP_LOG_LEVEL", "WARNING")
    return var_dir


class Steps:
    """Times each step and keeps what it reported, for the manifest."""

    def __init__(self) -> None:
        self.done: list[dict] = []

    def run(self, name: str, function, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        started = time.monotonic()
        result = function(*args, **kwargs)
        seconds = time.monotonic() - started
        self.done.append({"step": name, "seconds": round(seconds, 2)})
        print(f"  {name}: {seconds:.1f} s", flush=True)
        return result


def kato_file(regions: str) -> Path:
    """data/kato.csv, or the part of it in the given regions (a small territory for smoke runs)."""
    full = ROOT / "data" / "kato.csv"
    prefixes = tuple(code.strip() for code in regions.split(",") if code.strip())
    if not prefixes:
        return full
    part = OUT / f"kato-{'_'.join(prefixes)}.csv"
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = "".join(line for line in lines[1:] if line.startswith(prefixes))
    part.write_text(lines[0] + kept, encoding="utf-8")
    return part


def demo_steps() -> list[str]:
    from django.conf import settings

    return [step for step in settings.ESEP_DEMO_STEPS if step.startswith(REQUIRED_STEPS + OPTIONAL_STEPS)]


def run_demo_step(dotted: str) -> str:
    from io import StringIO

    from django.utils.module_loading import import_string

    out = StringIO()
    import_string(dotted)(out=out)
    return out.getvalue().strip()


def import_requests(args: argparse.Namespace, steps: Steps, checkpoints: list[int]) -> dict:
    """Requests in parts of at most a million rows, each a seeded CSV (kept in bench/out/csv/) imported with
    esep.appeals.importer; dashboards timed at each checkpoint size."""
    from django.utils import timezone

    from bench import dataset
    from esep.appeals.importer import appeals_import
    from esep.appeals.models import Appeal
    from esep.territory.models import Territory

    already = Appeal.private_objects.count()
    units = list(Territory.objects.elected_units().order_by("kato").values_list("kato", "population"))
    now = timezone.now()
    imports, timings = [], {}
    sizes = sorted({size for size in checkpoints if 0 < size < args.requests} | {args.requests})
    loaded = already
    part = 0
    for size in sizes:
        while loaded < size:
            rows = min(PART_ROWS, size - loaded)
            path = OUT / "csv" / f"requests-s{args.seed}-n{args.requests}-p{part}-r{rows}.csv"
            if not path.exists():
                steps.run(
                    f"write {path.name}",
                    dataset.write_requests,
                    path,
                    count=rows,
                    units=units,
                    now=now,
                    seed=args.seed * 1000 + part,
                    total=args.requests,
                )
            report = steps.run(f"import {rows} requests", appeals_import, path=path)
            imports.append(
                {
                    "rows": report.created,
                    "seconds": round(report.seconds, 2),
                    "rows_per_s": report.rows_per_second,
                }
            )
            loaded += report.created
            part += 1
        if size in checkpoints or (checkpoints and size == args.requests):
            timings[str(size)] = steps.run(f"time dashboards at {size}", time_dashboards)
    return {"imports": imports, "dashboard_timings": timings, "requests": loaded}


def sample(limit: int = 200) -> dict:
    """The pages the scenarios request: units with a sitting akim's program, districts, regions."""
    import random

    from django.db.models import Count, Q

    from esep.programs.models import Program, ProgramStatus
    from esep.territory.models import Level

    published = (
        Program.objects.filter(status=ProgramStatus.PUBLISHED)
        .annotate(promise_count=Count("promises", filter=Q(promises__removed_in__isnull=True)))
        .values_list("rural_unit__kato", "promise_count")
    )
    counts: dict[str, int] = {}
    for kato, count in published:
        counts[kato] = max(count, counts.get(kato, 0))
    rng = random.Random(7)  # noqa: S311
    units = sorted(counts)
    few = min(counts.values()) if counts else 0
    many = max(counts.values()) if counts else 0
    return {
        "units": rng.sample(units, min(limit, len(units))),
        "unit_fewest_promises": next((k for k in units if counts[k] == few), ""),
        "unit_most_promises": next((k for k in units if counts[k] == many), ""),
        "promise_counts": {
            "min": few,
            "max": many,
            "programs": len(counts),
            "promises": sum(counts.values()),
        },
        "districts": codes(Level.DISTRICT),
        "regions": codes(Level.REGION),
    }


def dashboard_paths(regions: list[str]) -> dict[str, str]:
    """The summary pages that exist: the dashboards (issue #10) and the requests' figures."""
    from bench.pages import exists

    region = regions[len(regions) // 2] if regions else ""
    candidates = {
        "dashboard_country": "/dashboard/",
        "dashboard_region": f"/dashboard/{region}/",
        "figures_country": "/requests/figures/",
        "figures_region": f"/requests/figures/{region}/",
    }
    return {name: path for name, path in candidates.items() if exists(path)}


def codes(level: str) -> list[str]:
    from esep.territory.models import Territory

    return list(Territory.objects.filter(level=level).order_by("kato").values_list("kato", flat=True))


def time_dashboards() -> dict[str, float]:
    from bench.pages import median_seconds
    from esep.territory.models import Level

    regions = codes(Level.REGION)

    return {name: round(median_seconds(path)[0], 5) for name, path in dashboard_paths(regions).items()}


def signatures(args: argparse.Namespace) -> dict:
    """Recall signatures through the recall app's bulk path, when it has one (issue #7 is being built)."""
    try:
        from bench import recall_signing  # owned by the recall engineer
    except ImportError:
        return {"signatures": 0, "note": "no recall bulk path yet (bench/recall_signing.py is missing)"}
    load = getattr(recall_signing, "generate_signatures", None)
    if load is None:
        return {"signatures": 0, "note": "bench/recall_signing.py has no generate_signatures()"}
    return {"signatures": load(count=args.signatures, seed=args.seed)}


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    var_dir = configure(args)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from esep.appeals.services import categories_load
    from esep.territory.models import Territory
    from esep.territory.services import territory_import

    checkpoints = [int(value) for value in args.checkpoints.split(",") if value.strip()]
    started = time.monotonic()
    steps = Steps()
    print(f"bench/generate: {args.requests} requests on {connection.vendor} ({var_dir})", flush=True)
    steps.run("migrate", call_command, "migrate", interactive=False, verbosity=0)
    steps.run("collectstatic", call_command, "collectstatic", interactive=False, verbosity=0)
    if not Territory.objects.exists():
        steps.run("territory import", territory_import, path=kato_file(args.regions))
    notes = {}
    for dotted in demo_steps():
        if dotted.startswith(REQUIRED_STEPS):
            notes[dotted] = steps.run(dotted, run_demo_step, dotted)
            continue
        try:
            notes[dotted] = steps.run(dotted, run_demo_step, dotted)
        except Exception as exc:  # noqa: BLE001 (an app still being built must not stop the benchmark)
            notes[dotted] = f"FAILED: {type(exc).__name__}: {exc}"
            print(f"  {dotted}: {notes[dotted]}", flush=True)
    steps.run("request categories", categories_load)
    requests = import_requests(args, steps, checkpoints)
    signed = steps.run("signatures", signatures, args)
    steps.run("analyze", analyze)
    manifest = {
        "database": connection.vendor,
        "requests_asked": args.requests,
        "seed": args.seed,
        "var_dir": str(var_dir),
        **requests,
        **signed,
        "sample": sample(),
        "demo": notes,
        "steps": steps.done,
        "seconds": round(time.monotonic() - started, 1),
    }
    manifest["dashboards"] = dashboard_paths(manifest["sample"]["regions"])
    path = args.manifest or var_dir / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"bench/generate: done in {manifest['seconds']} s; manifest {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
