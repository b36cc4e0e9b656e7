"""The settings module: production switches, secrets from files, and SQLite's tuning in force."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def run_esep(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("ESEP_") and k != "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [sys.executable, "-m", "esep", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("k" * 20 + "-production-secret-key-with-enough-entropy-7f3a9c2e1b", encoding="utf-8")
    result = run_esep(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "ESEP_SECRET_KEY_FILE": str(secret),
            "ESEP_IIN_PEPPER": "pepper-from-the-vault",
            "ESEP_HTTPS": "true",
            "ESEP_ALLOWED_HOSTS": "esep.example.kz",
            "ESEP_VAR_DIR": str(tmp_path / "var"),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secrets(tmp_path: Path) -> None:
    result = run_esep(["check"], {"ESEP_VAR_DIR": str(tmp_path / "var")})
    assert result.returncode != 0
    assert "ESEP_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
