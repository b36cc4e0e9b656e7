"""The dashboard ratio measured side by side: the same dataset at its full size and shrunk to a smaller one
(`bench.probe shrink`: the first N requests kept, the summaries recounted), each page timed on both in turn.

    .venv/bin/python -m bench.ratio --database sqlite --requests 1000000 --small 100000
    .venv/bin/python -m bench.ratio --database postgres --requests 1000000 --small 100000

It needs the cached dataset of bench/run.py (bench/out/) and prints one JSON line. The checkpoint timings of
bench/generate.py are taken minutes apart while the dataset grows; on a shared machine the load can change in
between, which this measurement avoids.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PAGES = ["/dashboard/", "/requests/figures/"]


def probe(env: dict, *arguments: str) -> dict:
    """bench.run's probe (a failure raises with its output), its last JSON line read."""
    from bench.run import probe as run_probe

    output = run_probe(env, *arguments)
    return json.loads([line for line in output.splitlines() if line.startswith("{")][-1])


def esep(env: dict, *arguments: str) -> None:
    from bench.run import BIN

    subprocess.run([str(BIN / "esep"), *arguments], env=env, cwd=ROOT, check=True, capture_output=True)


def measure(big: dict, small: dict, pages: list[str], rounds: int = 3) -> dict:
    timings: dict[str, dict[str, list[float]]] = {"big": {}, "small": {}}
    for _round in range(rounds):
        for name, env in (("small", small), ("big", big)):
            for path, seconds in probe(env, "time", *pages).items():
                timings[name].setdefault(path, []).append(seconds)
    result = {}
    for path in pages:
        low, high = min(timings["small"][path]), min(timings["big"][path])
        result[path] = {
            "small_ms": round(low * 1000, 1),
            "big_ms": round(high * 1000, 1),
            "ratio": high / low,
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/ratio", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench import pg
    from bench.run import base_env

    region = "430000000"
    pages = [*PAGES, f"/dashboard/{region}/", f"/requests/figures/{region}/"]
    scratch = Path(tempfile.mkdtemp(prefix="esep-bench-ratio-"))
    try:
        big, small = base_env(), base_env()
        big["ESEP_VAR_DIR"], small["ESEP_VAR_DIR"] = str(scratch / "big"), str(scratch / "small")
        if args.database == "sqlite":
            cache = OUT / f"sqlite-{args.requests}-s{args.seed}" / "esep.sqlite3"
            for name in ("big", "small"):
                (scratch / name).mkdir()
                shutil.copy2(cache, scratch / name / "esep.sqlite3")
            return report(args, big, small, pages)
        with pg.server() as server:
            dump = OUT / f"pg-{args.requests}-s{args.seed}.dump"
            pg.restore(server, dump)
            import psycopg

            with psycopg.connect(server.url, autocommit=True) as conn:
                conn.execute("CREATE DATABASE small")
            small_url = server.url.rsplit("/", 1)[0] + "/small"
            subprocess.run(
                [str(server.bindir / "pg_restore"), "--no-owner", "-j", "2", "-d", small_url, str(dump)],
                check=True,
            )
            pg.durable(server)
            big["ESEP_DATABASE_URL"], small["ESEP_DATABASE_URL"] = server.url, small_url
            return report(args, big, small, pages)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def report(args: argparse.Namespace, big: dict, small: dict, pages: list[str]) -> int:
    for env in (big, small):
        esep(env, "migrate", "--noinput", "-v0")
        esep(env, "collectstatic", "--noinput", "-v0")
    shrunk = probe(small, "shrink", str(args.small))
    result = {
        "database": args.database,
        "big": args.requests,
        "small": shrunk["kept"],
        "stat_rows_small": shrunk["stat_rows"],
        "load_average": os.getloadavg(),
        "pages": measure(big, small, pages),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
