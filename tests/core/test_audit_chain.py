import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from esep.core.audit.chain import GENESIS_HASH, audit_record, audit_verify
from esep.core.audit.models import AuditEvent, AuditHead


def record(n: int = 3) -> list[AuditEvent]:
    with transaction.atomic():
        return [
            audit_record(
                actor=None, action="test.event", subject_type="thing", subject_id=i, data={"i": i, "ё": "ә"}
            )
            for i in range(n)
        ]


@pytest.mark.django_db
def test_events_chain_one_to_the_next() -> None:
    events = record(3)
    assert [e.sequence for e in events] == list(range(events[0].sequence, events[0].sequence + 3))
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    first = AuditEvent.objects.order_by("sequence").first()
    assert first.sequence == 1 and first.prev_hash == GENESIS_HASH
    head = AuditHead.objects.get()
    assert (head.sequence, head.hash) == (events[-1].sequence, events[-1].hash)
    report = audit_verify()
    assert report.intact and report.checked == events[-1].sequence


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="test.event")


@pytest.mark.django_db
def test_the_command_says_chain_intact(capsys: pytest.CaptureFixture) -> None:
    record(2)
    call_command("audit", "verify")
    assert "chain intact" in capsys.readouterr().out


def tamper(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the PostgreSQL trigger forbids tampering")
@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("UPDATE audit_auditevent SET data = '{\"i\": 99}' WHERE sequence = %s", "content does not match"),
        ("UPDATE audit_auditevent SET action = 'forged' WHERE sequence = %s", "content does not match"),
        ("DELETE FROM audit_auditevent WHERE sequence = %s", "is missing"),
    ],
)
def test_tampering_is_found_at_the_first_broken_link(sql: str, reason: str) -> None:
    events = record(4)
    target = events[1].sequence
    tamper(sql, [target])
    report = audit_verify()
    assert not report.intact
    assert report.broken_at == target and reason in report.reason
    with pytest.raises(CommandError, match=f"chain broken at event {target}"):
        call_command("audit", "verify")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the PostgreSQL trigger forbids tampering")
def test_removing_the_newest_events_is_found() -> None:
    events = record(3)
    tamper("DELETE FROM audit_auditevent WHERE sequence = %s", [events[-1].sequence])
    report = audit_verify()
    assert not report.intact and "removed" in report.reason


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the PostgreSQL trigger forbids tampering")
def test_a_rehashed_forgery_breaks_the_next_link() -> None:
    events = record(3)
    # A forger who recomputes one event's hash still breaks its successor's prev_hash link.
    tamper("UPDATE audit_auditevent SET hash = %s WHERE sequence = %s", ["f" * 64, events[0].sequence])
    report = audit_verify()
    assert not report.intact and report.broken_at == events[0].sequence
