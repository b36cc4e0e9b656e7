from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from esep.core.leases import lease_acquire, lease_release
from esep.core.models import Lease

CALLS: list = []


def record_step(*, now) -> str:
    CALLS.append(now)
    return "recorded"


@pytest.mark.django_db
def test_a_lease_is_held_once_until_released_or_expired() -> None:
    token = lease_acquire("job", seconds=60)
    assert token
    assert lease_acquire("job", seconds=60) is None
    lease_release("job", token)
    second = lease_acquire("job", seconds=60)
    assert second and second != token
    Lease.objects.filter(name="job").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert lease_acquire("job", seconds=60)


@pytest.mark.django_db
@override_settings(ESEP_TICK_STEPS=["tests.core.test_tick.record_step"])
def test_tick_runs_each_step_and_skips_while_another_tick_runs(capsys) -> None:
    CALLS.clear()
    call_command("tick")
    assert len(CALLS) == 1 and "tick done" in capsys.readouterr().out
    token = lease_acquire("tick", seconds=60)
    call_command("tick")
    assert len(CALLS) == 1 and "another tick is running" in capsys.readouterr().out
    lease_release("tick", token)
