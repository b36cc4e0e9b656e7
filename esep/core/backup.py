"""Consistent backups of the whole database and their restore (SQLite backup API; pg_dump, pg_restore)."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from esep.core.errors import ApplicationError


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    args = ["-h", settings.get("HOST") or "127.0.0.1", "-p", str(settings.get("PORT") or 5432)]
    if settings.get("USER"):
        args += ["-U", settings["USER"]]
    return env, args


def find_pg_tool(name: str) -> str:
    """pg_dump / pg_restore: from ESEP_PG_BIN, the PATH, or the newest /usr/lib/postgresql/*/bin."""
    candidates = []
    if os.environ.get("ESEP_PG_BIN"):
        candidates.append(Path(os.environ["ESEP_PG_BIN"]) / name)
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise ApplicationError(f"{name} is not installed: it is needed to back up PostgreSQL")


def database_backup(path: Path) -> str:
    """Write a consistent copy of the database to `path`; return its sha256."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        name = connection.settings_dict["NAME"]
        command = [find_pg_tool("pg_dump"), *args, "-Fc", "--no-owner", "-f", str(path), name]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise ApplicationError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        raise ApplicationError(f"backups of {connection.vendor} are not supported")
    return _sha256(path)


def database_restore(path: Path) -> None:
    """Replace the database's contents with the backup at `path` (stop the servers first)."""
    path = Path(path)
    if not path.is_file():
        raise ApplicationError(f"no backup file at {path}")
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise ApplicationError(f"{path} is not a SQLite backup")
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        connection.close()
        command = [
            find_pg_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
            "-d", connection.settings_dict["NAME"], str(path),
        ]  # fmt: skip
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise ApplicationError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        raise ApplicationError(f"restoring {connection.vendor} is not supported")
