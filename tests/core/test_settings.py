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
    assert result.returncode == 2
    assert result.stderr.startswith("esep: Set ESEP_SECRET_KEY")
    assert "Traceback" not in result.stderr


def test_the_command_line_finds_the_secrets_make_run_wrote(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir()
    (var / "secret_key").write_text("local-" + "s" * 60, encoding="utf-8")
    (var / "iin_pepper").write_text("local-pepper", encoding="utf-8")
    result = run_esep(
        ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.IIN_PEPPER)"],
        {"ESEP_VAR_DIR": str(var)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "local-pepper"
    # An explicit setting wins over the file.
    result = run_esep(
        ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.IIN_PEPPER)"],
        {"ESEP_VAR_DIR": str(var), "ESEP_IIN_PEPPER": "from-the-vault"},
    )
    assert result.stdout.strip() == "from-the-vault"


def test_tests_never_take_the_local_secrets(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir()
    (var / "iin_pepper").write_text("local-pepper", encoding="utf-8")
    result = run_esep(
        ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.IIN_PEPPER)"],
        {"ESEP_VAR_DIR": str(var), "ESEP_TESTING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "esep-local-development-pepper"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "kk_KZ.UTF-8"}, "kk"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "ru_RU.UTF-8", "LC_MESSAGES": "de_DE.UTF-8"}, None),
        ({"LC_ALL": "ru_RU.UTF-8", "ESEP_LANGUAGE": "kk"}, "kk"),
    ],
)
def test_the_command_line_speaks_the_locale_language(environ: dict[str, str], expected: str | None) -> None:
    from esep.__main__ import cli_language

    assert cli_language(environ) == expected


def test_command_line_messages_follow_the_locale(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.json")
    args = ["programs", "check", missing, "--context", missing]
    env = {"ESEP_TESTING": "1", "ESEP_VAR_DIR": str(tmp_path / "var")}
    english = run_esep(args, {**env, "LANG": "en_US.UTF-8"})
    kazakh = run_esep(args, {**env, "LANG": "kk_KZ.UTF-8"})
    russian = run_esep(args, {**env, "LANG": "C.UTF-8"})
    assert "cannot read the program file" in english.stderr
    assert "бағдарлама файлын" in kazakh.stderr
    assert "не удаётся прочитать файл" in russian.stderr


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


def test_a_file_database_runs_in_wal_mode(tmp_path: Path) -> None:
    # The test database lives in memory, where SQLite has no WAL: ask a file database the way Esep opens it.
    result = run_esep(
        [
            "shell",
            "--no-imports",
            "-c",
            "from django.db import connection\n"
            "with connection.cursor() as c:\n"
            "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        ],
        {"ESEP_TESTING": "1", "ESEP_VAR_DIR": str(tmp_path / "var")},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"
