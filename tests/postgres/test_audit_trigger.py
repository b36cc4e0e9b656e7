"""On PostgreSQL the database itself keeps the audit log append-only."""

import pytest
from django.db import DatabaseError, connection, transaction

from esep.core.audit.chain import audit_record, audit_verify
from esep.core.audit.models import AuditEvent


def make_events() -> AuditEvent:
    with transaction.atomic():
        audit_record(actor=None, action="test.first")
        return audit_record(actor=None, action="test.second", data={"n": 1})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'forged' WHERE sequence = %s",
        "UPDATE audit_auditevent SET data = '{}'::jsonb WHERE sequence = %s",
        "DELETE FROM audit_auditevent WHERE sequence = %s",
    ],
)
def test_update_and_delete_are_rejected_by_the_database(sql: str) -> None:
    event = make_events()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [event.sequence])
    assert AuditEvent.objects.get(sequence=event.sequence).action == "test.second"
    assert audit_verify().intact


@pytest.mark.django_db
def test_the_orm_cannot_rewrite_history_either() -> None:
    event = make_events()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=event.sequence).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=event.sequence).delete()
    assert audit_verify().intact


@pytest.mark.django_db
def test_inserting_still_works() -> None:
    before = AuditEvent.objects.count()
    make_events()
    assert AuditEvent.objects.count() == before + 2
