"""What the bad-input tests compare before and after a refused input: the rows of every table.

`row_counts()` counts every table in one query. `snapshot()` adds a digest of the content of every table
small enough to read whole, so an UPDATE that a refusal should not have made shows up too; the large tables
(the KATO territory) are compared by count.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import connection, transaction

CONTENT_LIMIT = 3000  # rows; a larger table is compared by its count only
# Tables a request may change without writing data: the session store (a refused form may still flash a
# message into the session).
VOLATILE = {"django_session"}


def tables() -> list[str]:
    names = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(names & set(connection.introspection.table_names()))


def row_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = [f"SELECT '{name}', COUNT(*) FROM {quote(name)}" for name in tables()]  # noqa: S608
        cursor.execute(" UNION ALL ".join(counts))
        return dict(cursor.fetchall())


def snapshot() -> dict[str, object]:
    """Count of every table, and for the tables of at most CONTENT_LIMIT rows a digest of every row."""
    counts = row_counts()
    state: dict[str, object] = dict(counts)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, count in counts.items():
            if name in VOLATILE or count == 0 or count > CONTENT_LIMIT:
                continue
            cursor.execute(f"SELECT * FROM {quote(name)}")  # noqa: S608 (table names from the models)
            rows = sorted(repr(row) for row in cursor.fetchall())
            state[name] = (
                count,
                hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest(),
            )
    for name in VOLATILE & set(state):
        state.pop(name)
    return state


def changed(before: dict[str, object], after: dict[str, object]) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one example inside a savepoint that is rolled back, so every example meets the same rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
