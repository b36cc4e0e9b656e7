"""Expiring named leases: a compare-and-set UPDATE, atomic on SQLite and PostgreSQL alike."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from esep.core.models import Lease


def lease_acquire(name: str, *, seconds: int) -> str | None:
    """Take the lease if it is free or expired; return a holder token, or None if someone else holds it."""
    token = uuid.uuid4().hex
    now = timezone.now()
    expires = now + timedelta(seconds=seconds)
    taken = Lease.objects.filter(Q(name=name) & (Q(expires_at__lte=now) | Q(holder=""))).update(
        holder=token, expires_at=expires
    )
    if taken:
        return token
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=token, expires_at=expires)
    except IntegrityError:
        return None
    return token


def lease_release(name: str, token: str) -> None:
    Lease.objects.filter(name=name, holder=token).update(holder="", expires_at=timezone.now())


@contextmanager
def lease(name: str, *, seconds: int) -> Iterator[str | None]:
    token = lease_acquire(name, seconds=seconds)
    try:
        yield token
    finally:
        if token:
            lease_release(name, token)
