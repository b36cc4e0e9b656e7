"""`make bench` and `make bench-smoke`: build (or reuse) the dataset, serve it with gunicorn, load it with wrk
from a second process, measure what cannot be loaded (query counts, dashboards, import, signing), and write
the results table, on SQLite and then on PostgreSQL (a throwaway server, skipped without its binaries).

    .venv/bin/python -m bench.run                       # full: 1M requests -> bench/RESULTS.md
    .venv/bin/python -m bench.run --smoke               # 20k requests, 2 regions, 2 s -> bench/out/SMOKE.md
    .venv/bin/python -m bench.run --databases postgres --requests 10000000 --checkpoints 100000

Datasets are cached in bench/out/ by size and seed (SQLite files, PostgreSQL dumps); each run measures a
fresh working copy, so the figures of one run never depend on what an earlier run wrote.
"""

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable
BIN = Path(PYTHON).parent
SMOKE_REGIONS = "10,62"  # Abay (the demo accounts' unit) and Ulytau: 178 of the 2,321 units

TARGET_HALF_CEILING = 0.5
TARGET_TAIL = 5.0
TARGET_DASHBOARD_RATIO = 1.5
TARGET_SIGNATURES = 500
TARGET_IMPORT = {"postgresql": 50_000, "sqlite": 10_000}


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny and quick (under 2 minutes when cached)")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--requests", type=int)
    parser.add_argument("--checkpoints", help="sizes at which the dashboards are timed (default 100000)")
    parser.add_argument("--import-rows", type=int, help="rows of the import scenario (default 1M)")
    parser.add_argument("--signatures", type=int)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--duration", type=int, help="seconds of each measured load run (default 15)")
    parser.add_argument("--warmup", type=int, help="seconds of warm-up before each (default 5)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--output", type=Path)
    parser.add_argument(
        "--dataset-only", action="store_true", help="only build the dataset; report the dashboard ratio"
    )
    args = parser.parse_args(argv)
    smoke = args.smoke
    args.requests = args.requests or (20_000 if smoke else 1_000_000)
    args.checkpoints = args.checkpoints if args.checkpoints is not None else ("5000" if smoke else "100000")
    args.import_rows = args.import_rows or (5_000 if smoke else 1_000_000)
    args.signatures = args.signatures if args.signatures is not None else (2_000 if smoke else 200_000)
    args.duration = args.duration or (2 if smoke else 15)
    args.warmup = args.warmup if args.warmup is not None else (1 if smoke else 5)
    args.regions = SMOKE_REGIONS if smoke else ""
    args.output = args.output or (OUT / "SMOKE.md" if smoke else ROOT / "bench" / "RESULTS.md")
    return args


def say(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def base_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ESEP_", "PG"))}
    env.update(
        ESEP_SECRET_KEY="esep-bench-secret-key-not-for-production-0123456789abcdef",  # noqa: S106
        ESEP_IIN_PEPPER="esep-bench-pepper",
        ESEP_ALLOWED_HOSTS="127.0.0.1",
        ESEP_RATE_LIMITS="false",
        ESEP_OFFICIAL_2FA="false",
        ESEP_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def ensure_wrk() -> None:
    """wrk is the load generator (Debian package `wrk`); installed when missing and running as root."""
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing wrk (apt-get install -y wrk)")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update", "-q"], check=False, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is missing (Debian: apt-get install wrk)")


def machine() -> dict:
    info = {"nproc": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        info["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
    info["load_before"] = os.getloadavg()
    return info


def key_of(args: argparse.Namespace) -> str:
    regions = f"-r{args.regions.replace(',', '_')}" if args.regions else ""
    return f"{args.requests}-s{args.seed}{regions}"


def generate(args: argparse.Namespace, env: dict, *, database: str, var_dir: Path, manifest: Path) -> None:
    command = [
        PYTHON,
        "-m",
        "bench.generate",
        "--database",
        database,
        "--requests",
        str(args.requests),
        "--signatures",
        str(args.signatures),
        "--seed",
        str(args.seed),
        "--var-dir",
        str(var_dir),
        "--manifest",
        str(manifest),
        "--checkpoints",
        args.checkpoints,
    ]
    if args.regions:
        command += ["--regions", args.regions]
    say(" ".join(command[1:]))
    subprocess.run(command, env=env, cwd=ROOT, check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int, threads: int) -> Iterator[str]:
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "esep.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # noqa: S310 (loopback)
                    if response.status == 200:
                        break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start (exit {process.poll()})")
            time.sleep(0.3)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def probe(env: dict, *arguments: str) -> str:
    result = subprocess.run(
        [PYTHON, "-m", "bench.probe", *arguments],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench.probe {arguments[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def run_scenarios(args: argparse.Namespace, env: dict, manifest: dict, work: Path) -> list[dict]:
    from bench.scenarios import run_wrk, scenarios

    results = []
    with gunicorn(env, workers=args.workers, threads=args.threads) as url:
        for scenario in scenarios(manifest):
            paths_file = work / f"paths-{scenario.name}.txt"
            if args.warmup:
                run_wrk(
                    base_url=url,
                    paths=scenario.paths,
                    seconds=args.warmup,
                    connections=args.connections,
                    paths_file=paths_file,
                )
            figures = run_wrk(
                base_url=url,
                paths=scenario.paths,
                seconds=args.duration,
                connections=args.connections,
                paths_file=paths_file,
            )
            say(
                f"{scenario.name}: {figures.rps:.0f} req/s, p50 {figures.p50_ms:.1f} ms, "
                f"p99 {figures.p99_ms:.1f} ms, errors {figures.errors}"
            )
            results.append(
                {
                    "name": scenario.name,
                    "title": scenario.title,
                    "half_ceiling": scenario.half_ceiling,
                    "paths": len(scenario.paths),
                    "example": scenario.paths[0],
                    "rps": figures.rps,
                    "p50_ms": figures.p50_ms,
                    "p95_ms": figures.p95_ms,
                    "p99_ms": figures.p99_ms,
                    "errors": figures.errors,
                    "requests": figures.requests,
                }
            )
    # After the server has stopped: the signers are processes of their own on the same two cores.
    results.extend(signing(env, signers=200 if args.smoke else 1000))
    return results


def signing(env: dict, *, signers: int) -> list[dict]:
    """The signing burst: the recall engineer's bench/recall_signing.py (issue #7), 50 concurrent signers
    (2 processes x 25 threads) through `signature_sign`, when it exists; fewer signers in the smoke run."""
    script = ROOT / "bench" / "recall_signing.py"
    if not script.exists():
        return []
    result = subprocess.run(
        [PYTHON, str(script), "--json", "--signers", str(signers)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        return [{"name": "signing", "error": (result.stdout + result.stderr)[-2000:]}]
    return [{"name": "signing", **json.loads(lines[-1])}]


def import_scenario(args: argparse.Namespace, env: dict, manifest: dict) -> dict:
    """`esep appeals import` of a fresh CSV into the generated dataset (its requests already there)."""
    sys.path.insert(0, str(ROOT))
    path = OUT / "csv" / f"import-s{args.seed + 1}-r{args.import_rows}{'-smoke' if args.smoke else ''}.csv"
    if not path.exists():
        script = (
            "import sys, django, os; django.setup();"
            "from pathlib import Path; from django.utils import timezone; from bench import dataset;"
            "from esep.territory.models import Territory;"
            "units = list(Territory.objects.elected_units().order_by('kato')"
            ".values_list('kato', 'population'));"
            f"dataset.write_requests(Path({str(path)!r}), count={args.import_rows}, units=units,"
            f" now=timezone.now(), seed={args.seed + 1})"
        )
        subprocess.run(
            [PYTHON, "-c", script],
            env={**env, "DJANGO_SETTINGS_MODULE": "esep.settings"},
            cwd=ROOT,
            check=True,
        )
    # The service behind `esep appeals import`, in its own process, answering JSON (not translated text).
    started = time.monotonic()
    try:
        output = probe(env, "import", str(path))
    except RuntimeError as exc:
        return {"rows": args.import_rows, "error": str(exc)[-2000:]}
    wall = time.monotonic() - started
    report = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    say(f"import: {report}")
    return {
        "rows": report["created"],
        "seconds": report["seconds"],
        "wall_seconds": round(wall, 1),
        "rows_per_s": report["created"] / report["seconds"],
        "existing": manifest.get("requests", 0),
    }


def profiles(env: dict, manifest: dict, results: list[dict], queries: dict) -> dict[str, str]:
    """pyinstrument text of each page whose target was missed (top of the call tree)."""
    from bench.scenarios import scenarios

    ceiling = next((r["rps"] for r in results if r["name"] == "ceiling"), 0)
    paths = {s.name: s.paths[0] for s in scenarios(manifest)}
    found = {}
    for result in results:
        if result["name"] not in paths or result["name"] == "ceiling":
            continue
        missed_ratio = (
            result.get("half_ceiling") and ceiling and result["rps"] / ceiling < TARGET_HALF_CEILING
        )
        missed_tail = result["p50_ms"] and result["p99_ms"] / result["p50_ms"] > TARGET_TAIL
        if missed_ratio or missed_tail:
            with contextlib.suppress(RuntimeError):
                text = probe(env, "profile", paths[result["name"]])
                found[result["name"]] = trim_profile(text)
    return found


def trim_profile(text: str, lines: int = 45) -> str:
    kept = [line.rstrip() for line in text.splitlines() if line.strip()]
    return "\n".join(kept[:lines])


def measure_database(args: argparse.Namespace, database: str) -> dict:
    from bench import pg

    env = base_env()
    key = key_of(args)
    work = OUT / f"work-{database}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if database == "sqlite":
        cache = OUT / f"sqlite-{key}"
        manifest_path = cache / "manifest.json"
        if not manifest_path.exists():
            shutil.rmtree(cache, ignore_errors=True)
            generate(args, env, database="sqlite", var_dir=cache, manifest=manifest_path)
        else:
            say(f"reusing the cached dataset {cache}")
        for name in ("esep.sqlite3", "esep.sqlite3-wal"):
            if (cache / name).exists():
                shutil.copy2(cache / name, work / name)
        env["ESEP_VAR_DIR"] = str(work)
        return measure(args, env, json.loads(manifest_path.read_text(encoding="utf-8")), work)
    if not pg.available():
        return {"skipped": "no PostgreSQL server binaries (Debian: apt-get install postgresql)"}
    with pg.server() as server:
        env["ESEP_DATABASE_URL"] = server.url
        env["ESEP_VAR_DIR"] = str(work)
        dump, manifest_path = OUT / f"pg-{key}.dump", OUT / f"pg-{key}.json"
        if dump.exists() and manifest_path.exists():
            say(f"restoring the cached dataset {dump}")
            started = time.monotonic()
            pg.restore(server, dump)
            say(f"restored in {time.monotonic() - started:.0f} s")
        else:
            generate(args, env, database="postgres", var_dir=work, manifest=manifest_path)
            say("dumping the dataset for the next run")
            pg.dump(server, dump)
        pg.durable(server)
        return measure(args, env, json.loads(manifest_path.read_text(encoding="utf-8")), work)


def measure(args: argparse.Namespace, env: dict, manifest: dict, work: Path) -> dict:
    if args.dataset_only:
        return {"manifest": manifest, "dataset_only": True}
    # A cached dataset may predate migrations that other apps have added since: bring it up to date.
    subprocess.run([str(BIN / "esep"), "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([str(BIN / "esep"), "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    # A new index has no SQLite statistics until analysed (what `esep tick` does in production).
    refresh = "from esep.core.statistics import statistics_refresh as r; print(r())"
    subprocess.run([str(BIN / "esep"), "shell", "-c", refresh], env=env, cwd=ROOT, check=True)
    # The summary pages that answer now (an app built since the dataset was cached may have added some).
    lines = [line for line in probe(env, "dashboards").splitlines() if line.startswith("{")]
    if lines:
        manifest["dashboards"] = json.loads(lines[-1])
    manifest_file = work / "manifest.json"
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    queries = json.loads(probe(env, "queries", str(manifest_file)))
    say(f"query counts: { {name: page['queries'] for name, page in queries.items()} }")
    results = run_scenarios(args, env, manifest, work)
    found_profiles = {} if args.smoke else profiles(env, manifest, results, queries)
    imported = import_scenario(args, env, manifest)
    return {
        "manifest": manifest,
        "queries": queries,
        "scenarios": results,
        "profiles": found_profiles,
        "import": imported,
    }


SIDE_BY_SIDE_SMALL = 100_000


def side_by_side(args: argparse.Namespace, database: str) -> dict:
    """The dashboard ratio from `bench.ratio`: the dataset and a copy shrunk to 100,000 requests, each page
    timed on both in turn (the checkpoint timings of the build are minutes apart, under whatever load)."""
    say(f"dashboards at {args.requests:,} and {SIDE_BY_SIDE_SMALL:,} requests, side by side")
    command = [PYTHON, "-m", "bench.ratio", "--database", database, "--requests", str(args.requests)]
    command += ["--small", str(SIDE_BY_SIDE_SMALL), "--seed", str(args.seed)]
    done = subprocess.run(command, env=base_env(), cwd=ROOT, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        return {"error": (done.stderr or done.stdout)[-2000:]}
    return json.loads(lines[-1])


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    sys.path.insert(0, str(ROOT))
    from bench.report import write_report

    ensure_wrk()
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    info = machine()
    databases = {}
    command = "make bench-smoke" if args.smoke else "make bench"
    for database in [name.strip() for name in args.databases.split(",") if name.strip()]:
        say(f"--- {database} ---")
        databases[database] = measure_database(args, database)
        measured = "skipped" not in databases[database]
        if measured and not args.smoke and args.requests >= 10 * SIDE_BY_SIDE_SMALL:
            databases[database]["side_by_side"] = side_by_side(args, database)
        # Written after each database, so a long run that is stopped keeps what it measured.
        info["load_after"] = os.getloadavg()
        info["seconds"] = round(time.monotonic() - started)
        write_report(args.output, args=vars(args), machine=info, databases=databases, command=command)
        (OUT / ("smoke.json" if args.smoke else "results.json")).write_text(
            json.dumps({"machine": info, "databases": databases, "args": vars(args)}, default=str, indent=1),
            encoding="utf-8",
        )
    say(f"wrote {args.output} in {info['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
