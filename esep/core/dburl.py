"""Turns ESEP_DATABASE_URL into a Django DATABASES entry (SQLite tuned for one machine, PostgreSQL pooled)."""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit


class DatabaseURLError(ValueError):
    pass


def sqlite_config(path: Path | str) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # A worker thread keeps its connection: opening one runs the five PRAGMAs below on every request.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing on upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA busy_timeout=20000; PRAGMA cache_size=-65536;"
            ),
        },
    }


def parse_database_url(url: str) -> dict:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = unquote(parts.path)
        if not path or path == "/":
            raise DatabaseURLError("sqlite URL needs a file path: sqlite:////abs/path.sqlite3")
        # The first slash separates host from path: sqlite:///rel.db is relative, sqlite:////abs.db absolute.
        return sqlite_config(path[1:])
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise DatabaseURLError("PostgreSQL URL needs a database name: postgresql://user@host:5432/esep")
        query = dict(parse_qsl(parts.query))
        pool_max = int(query.pop("pool_max", "8"))
        options: dict = {"pool": {"min_size": 1, "max_size": pool_max, "timeout": 20}}
        options.update(query)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 0,
            "OPTIONS": options,
        }
    raise DatabaseURLError(f"unsupported database URL scheme {scheme!r}: use sqlite:// or postgresql://")
