"""Hash chain of the audit log: writing a link and verifying the whole chain."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from esep.core.audit.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def link_hash(
    *,
    prev_hash: str,
    sequence: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    subject_type: str,
    subject_id: str,
    territory: str,
    data: Any,
) -> str:
    body = canonical_json(
        {
            "sequence": sequence,
            "at": at.astimezone(UTC).isoformat(),
            "actor_id": actor_id,
            "actor_label": actor_label,
            "action": action,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "territory": territory,
            "data": data,
        }
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    subject: Any = None,
    subject_type: str = "",
    subject_id: str | int = "",
    territory: str = "",
    data: dict | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction so the event commits with the change."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction.atomic block")
    if subject is not None:
        subject_type = subject_type or subject._meta.label_lower
        subject_id = subject_id or subject.pk
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    if not actor_label:
        actor_label = actor.get_username() if actor_id is not None else "system"
    # Round-trip through JSON so the stored value hashes the same after the database gives it back.
    normalised = json.loads(canonical_json(data or {}))
    head, _created = AuditHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"sequence": 0, "hash": GENESIS_HASH}
    )
    at = timezone.now()
    sequence = head.sequence + 1
    event = AuditEvent(
        sequence=sequence,
        at=at,
        actor_id=actor_id,
        actor_label=actor_label[:150],
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        territory=territory or "",
        data=normalised,
        prev_hash=head.hash,
    )
    event.hash = link_hash(
        prev_hash=head.hash,
        sequence=sequence,
        at=at,
        actor_id=actor_id,
        actor_label=event.actor_label,
        action=action,
        subject_type=subject_type,
        subject_id=event.subject_id,
        territory=event.territory,
        data=normalised,
    )
    event.save(force_insert=True)
    head.sequence = sequence
    head.hash = event.hash
    head.save(update_fields=["sequence", "hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""


def _events() -> Iterable[AuditEvent]:
    return AuditEvent.objects.order_by("sequence").iterator(chunk_size=5000)


def audit_verify() -> ChainReport:
    """Walk the whole chain; report the first link whose content, order or predecessor does not match."""
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    with transaction.atomic():
        for event in _events():
            if event.sequence != expected_sequence:
                return ChainReport(
                    False,
                    checked,
                    expected_sequence,
                    _("event %(sequence)d is missing") % {"sequence": expected_sequence},
                )
            if event.prev_hash != expected_prev:
                return ChainReport(False, checked, event.sequence, _("previous-hash link does not match"))
            recomputed = link_hash(
                prev_hash=event.prev_hash,
                sequence=event.sequence,
                at=event.at,
                actor_id=event.actor_id,
                actor_label=event.actor_label,
                action=event.action,
                subject_type=event.subject_type,
                subject_id=event.subject_id,
                territory=event.territory,
                data=event.data,
            )
            if recomputed != event.hash:
                return ChainReport(False, checked, event.sequence, _("content does not match its hash"))
            expected_prev = event.hash
            expected_sequence += 1
            checked += 1
        head = AuditHead.objects.filter(pk=1).first()
        if head is not None and (head.sequence != checked or head.hash != expected_prev):
            return ChainReport(False, checked, checked + 1, _("events after the last link were removed"))
    return ChainReport(True, checked)
