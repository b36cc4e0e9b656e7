"""`esep backup` then `esep restore` give back what was there (SQLite here, PostgreSQL in its suite)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from esep.core.audit.chain import audit_record
from esep.core.audit.models import AuditEvent
from esep.territory.models import Territory


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(territory, tmp_path: Path, capsys) -> None:
    with transaction.atomic():
        audit_record(actor=None, action="test.before_backup")
    counts = (Territory.objects.count(), AuditEvent.objects.count())
    backup = tmp_path / "esep.backup"
    call_command("backup", str(backup))
    assert "sha256=" in capsys.readouterr().out and backup.stat().st_size > 0

    Territory.objects.filter(kato="103230000").update(name_ru="Испорчено")
    with transaction.atomic():
        audit_record(actor=None, action="test.after_backup")

    call_command("restore", str(backup), "--yes")
    assert "audit chain intact" in capsys.readouterr().out
    assert (Territory.objects.count(), AuditEvent.objects.count()) == counts
    assert Territory.objects.get(kato="103230000").name_ru == "Карааульский с.о."


@pytest.mark.django_db
def test_restore_needs_confirmation_and_a_real_backup(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing"), "--yes")
    bogus = tmp_path / "bogus"
    bogus.write_text("not a database")
    with pytest.raises(CommandError):
        call_command("restore", str(bogus), "--yes")
