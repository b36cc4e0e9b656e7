"""Planner statistics for SQLite: an index the planner knows nothing about can lose to a worse one.

SQLite keeps no statistics by itself (PostgreSQL's autovacuum does). After a migration adds an index, or
after a bulk load, the planner guesses; on a million requests a guess chose to walk the requests by category
and sort them (2 s) instead of reading one unit's requests from its index (0.1 s). `statistics_refresh` runs
ANALYZE on the tables whose statistics are missing or out of date (hourly from `esep tick`, and the last step
of `esep demo`).
"""

from typing import Any

from django.db import connection

from esep.core.leases import lease_acquire

ONCE_AN_HOUR = 60 * 60


def stale_tables() -> list[str]:
    """Tables holding rows with a (non-partial) index that has no statistics, or whose statistics were taken
    when the table had less than half or more than twice its rows of now (SQLite only). A partial index
    counts only its own rows, so it is not compared with the table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        counted: dict[str, int] = {}
        if cursor.fetchone():
            cursor.execute("SELECT idx, stat FROM sqlite_stat1 WHERE idx IS NOT NULL")
            counted = {name: int(stat.split()[0]) for name, stat in cursor.fetchall()}
        cursor.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'"
        )
        indexes: dict[str, list[str]] = {}
        for name, table, sql in cursor.fetchall():
            if " WHERE " not in (sql or "").upper():
                indexes.setdefault(table, []).append(name)
        stale = []
        for table, names in sorted(indexes.items()):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608
            rows = cursor.fetchone()[0]
            if not rows:
                continue  # an empty table has no statistics to keep
            then = [counted.get(name) for name in names]
            if None in then or any(not rows / 2 <= before <= rows * 2 for before in then):
                stale.append(table)
        return stale


def _analyse(tables: list[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def statistics_refresh(*, now: Any = None) -> str:
    """ANALYZE the SQLite tables whose statistics are missing or out of date."""
    if connection.vendor != "sqlite":
        return "PostgreSQL keeps its own statistics (autovacuum)"
    tables = stale_tables()
    _analyse(tables)
    return f"statistics refreshed for {len(tables)} tables"


def tick_step(*, now: Any = None) -> str:
    """Tick step, at most once an hour: finding stale tables counts every table's rows, which is not work
    for every minute on ten million requests."""
    if lease_acquire("statistics_refresh", seconds=ONCE_AN_HOUR) is None:
        return "statistics: refreshed within the last hour"
    return statistics_refresh(now=now)


def demo_step(*, out: Any) -> None:
    """Demo step (the last): statistics for what the demo loaded."""
    out.write(statistics_refresh())
