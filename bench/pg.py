"""A throwaway PostgreSQL server for the benchmarks (tests.pgserver's), sized and made durable for measuring.

The test server trades durability for speed and has 32 MB of shared buffers. Here the data is loaded with
fsync off (a generated dataset needs no crash safety), then fsync, synchronous_commit and full_page_writes go
back to PostgreSQL's defaults (all three can change with a reload) and a CHECKPOINT runs before anything is
measured, so signing and import figures include real commits. Datasets are cached in bench/out/ as
`pg_dump -Fc` files and restored into a fresh server.
"""

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tests import pgserver

BENCH_SETTINGS = {
    "shared_buffers": "1GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "512MB",
    "effective_cache_size": "8GB",
    "max_connections": "100",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "random_page_cost": "1.1",
}
DURABLE = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}


def available() -> bool:
    return pgserver.find_pg_bindir() is not None


@contextlib.contextmanager
def server() -> Iterator[pgserver.ThrowawayPostgres]:
    """A started server with the bench settings (loading mode: fsync off until `durable()`)."""
    saved = dict(pgserver.SERVER_SETTINGS)
    pgserver.SERVER_SETTINGS.update(BENCH_SETTINGS)
    try:
        with pgserver.ThrowawayPostgres() as pg:
            yield pg
    finally:
        pgserver.SERVER_SETTINGS.clear()
        pgserver.SERVER_SETTINGS.update(saved)


def durable(pg: pgserver.ThrowawayPostgres) -> None:
    """Back to PostgreSQL's durable defaults (reloaded, no restart) and a checkpoint."""
    import psycopg

    with psycopg.connect(pg.url, autocommit=True) as conn:
        for name, value in DURABLE.items():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        conn.execute("SELECT pg_reload_conf()")
        conn.execute("CHECKPOINT")
        settings = {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in [*DURABLE, "shared_buffers"]}
    for name, value in DURABLE.items():
        if settings[name] != value:
            raise RuntimeError(f"PostgreSQL did not take {name}={value}: {settings}")


def dump(pg: pgserver.ThrowawayPostgres, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    subprocess.run(
        [str(pg.bindir / "pg_dump"), "-Fc", "-Z", "1", "-f", str(partial), pg.url], check=True, timeout=3600
    )
    partial.replace(path)


def restore(pg: pgserver.ThrowawayPostgres, path: Path) -> None:
    subprocess.run(
        [str(pg.bindir / "pg_restore"), "--no-owner", "-j", "2", "-d", pg.url, str(path)],
        check=True,
        timeout=3600,
    )
    import psycopg

    with psycopg.connect(pg.url, autocommit=True) as conn:
        conn.execute("ANALYZE")
