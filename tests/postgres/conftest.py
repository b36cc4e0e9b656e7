"""PostgreSQL suite: runs only against the throwaway server started by tests/pgserver.py.

    python -m tests.pgserver run -- python -m pytest tests/postgres

In any other run (the main SQLite run collecting all of tests/) these tests are deselected with a
printed note; run on their own without PostgreSQL they are skipped (an error when CI=true).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

POSTGRES_DIR = Path(__file__).resolve().parent
HOW_TO_RUN = "python -m tests.pgserver run -- python -m pytest tests/postgres"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}

# Set when this suite was deselected, so the terminal summary can say why.
_deselected_note: str | None = None


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _database_vendor() -> str:
    # Django's view wins (it also honours ESEP_DATABASE_URL_FILE); the URL is the fallback without Django.
    try:
        from django.db import connections

        return str(connections["default"].vendor)
    except Exception:  # noqa: BLE001 - Django not configured (e.g. -p no:django): fall back to the URL
        scheme = urlsplit(os.environ.get("ESEP_DATABASE_URL", "")).scheme.lower()
        return "postgresql" if scheme in POSTGRES_SCHEMES else (scheme or "sqlite")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    global _deselected_note
    # This hook sees every collected item, not only this directory's.
    ours = [item for item in items if POSTGRES_DIR in item.path.resolve().parents]
    for item in ours:
        item.add_marker(pytest.mark.postgres)
    vendor = _database_vendor()
    if not ours or vendor == "postgresql":
        return

    reason = f"the test database is {vendor}, not PostgreSQL; this suite runs separately: {HOW_TO_RUN}"
    our_ids = {id(item) for item in ours}
    others = [item for item in items if id(item) not in our_ids]
    if others:
        # Mixed run (e.g. plain `pytest`): not a skip, the suite simply belongs to another run.
        items[:] = others
        config.hook.pytest_deselected(items=ours)
        _deselected_note = f"tests/postgres: {len(ours)} tests deselected: {reason}"
    elif _running_in_ci():
        raise pytest.UsageError(f"PostgreSQL suite run without PostgreSQL (CI=true, no skipping): {reason}")
    else:
        for item in ours:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _deselected_note is not None:
        terminalreporter.write_line(_deselected_note)


@pytest.fixture(autouse=True)
def _require_postgresql() -> None:
    # Guard against a green run that silently tested SQLite.
    from django.db import connection

    assert connection.vendor == "postgresql", (
        f"tests/postgres must run against PostgreSQL, got {connection.vendor}: {HOW_TO_RUN}"
    )
