"""`esep demo` for requests (scaled down): the bulk loader keeps the services' invariants and runs once."""

import io

import pytest
from django.db.models import Count, Q, Sum
from django.utils import timezone

from esep.appeals import demo as appeals_demo
from esep.appeals.deadlines import add_months
from esep.appeals.models import Appeal, AppealEvent, AppealStat, Source, Status
from esep.core.audit.models import AuditEvent
from esep.core.workdays import add_working_days
from esep.registries import demo as registries_demo
from esep.registries.models import Lookup


@pytest.fixture
def small_demo(monkeypatch) -> None:
    monkeypatch.setattr(appeals_demo, "TARGET", 3000)
    monkeypatch.setattr(appeals_demo, "BATCH", 1000)


def test_the_demo_keeps_the_rules_and_loads_once(small_demo, db) -> None:
    out = io.StringIO()
    appeals_demo.run(out=out)
    assert "3000 requests" in out.getvalue()
    demo = Appeal.private_objects.filter(source=Source.DEMO)
    assert demo.count() == 3000
    assert Appeal.private_objects.filter(resident__username="demo.resident").count() == 8

    for appeal in Appeal.private_objects.all().only(
        "number",
        "registered_at",
        "deadline",
        "extended_deadline",
        "forwarded_at",
        "status",
        "answered_at",
        "missed",
    ):
        registered_on = timezone.localdate(appeal.registered_at)
        assert appeal.number.startswith(f"AP-{registered_on.year}-") or appeal.source != Source.DEMO
        assert appeal.deadline == add_working_days(registered_on, 15), appeal.number
        if appeal.forwarded_at:
            assert timezone.localdate(appeal.forwarded_at) <= add_working_days(registered_on, 3)
        if appeal.extended_deadline:
            assert appeal.deadline < appeal.extended_deadline <= add_months(registered_on, 2)
        if appeal.answered_at:
            assert appeal.missed == (
                timezone.localdate(appeal.answered_at) > (appeal.extended_deadline or appeal.deadline)
            )

    statuses = set(demo.values_list("status", flat=True))
    assert statuses == {
        Status.REGISTERED,
        Status.IN_PROGRESS,
        Status.ANSWERED,
        Status.CLOSED,
        Status.FORWARDED,
    }
    assert demo.filter(extended_deadline__isnull=False).exists()
    today = timezone.localdate()
    assert demo.filter(status__in=[Status.REGISTERED, Status.IN_PROGRESS], deadline__lt=today).exists()
    assert AppealEvent.objects.filter(kind="registered").count() == Appeal.private_objects.count()

    direct = Appeal.private_objects.aggregate(
        registered=Count("pk"), forwarded=Count("pk", filter=Q(status=Status.FORWARDED)),
        missed=Count("pk", filter=Q(missed=True)),
    )  # fmt: skip
    counted = AppealStat.objects.filter(scope="").aggregate(
        registered=Sum("registered"), forwarded=Sum("forwarded"), missed=Sum("missed")
    )
    assert counted == direct
    # Some categories are mostly forwarded: the powers analysis has something to show.
    tariffs = demo.filter(category__code="tariffs")
    assert tariffs.filter(status=Status.FORWARDED).count() > tariffs.count() / 2

    audit_before = AuditEvent.objects.count()
    again = io.StringIO()
    appeals_demo.run(out=again)
    assert "already loaded" in again.getvalue()
    assert Appeal.private_objects.count() == 3008 and AuditEvent.objects.count() == audit_before


def test_the_demo_register_gives_the_demo_resident_a_lookup_trail(small_demo, db) -> None:
    appeals_demo.run(out=io.StringIO())
    out = io.StringIO()
    registries_demo.run(out=out)
    assert "look-ups of demo.resident" in out.getvalue()
    trail = Lookup.private_objects.filter(actor__username="demo.staff")
    assert trail.count() == 3 and all(row.outcome == "ok" for row in trail)
    from django.contrib.auth import get_user_model

    resident = get_user_model().objects.get(username="demo.resident")
    assert {row.subject_fingerprint for row in trail} == {resident.profile.iin_fingerprint}
    registries_demo.run(out=io.StringIO())
    assert Lookup.private_objects.count() == 3
