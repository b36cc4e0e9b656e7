"""On PostgreSQL, a burst of signing holds: 50 signers at once, a tenth of the attempts repeating a person who
signs at the same moment, and the count is the distinct eligible signers, every refusal "already signed".

    python -m tests.pgserver run -- .venv/bin/pytest tests/postgres/test_recall_signing_burst.py -q

Each thread has its own database connection (the pool is widened to 50 for the burst, so that every attempt
is in the database at once instead of queueing for one of the default 8), and closes it when done.
"""

import random
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import override_settings

from esep.core.iin import iin_fingerprint
from esep.recall import services, tick
from esep.recall.models import Initiative, InitiativeEvent, Signature
from esep.recall.states import State
from esep.territory.models import Territory
from tests.conftest import UNIT_A
from tests.recall.factories import at, collecting_in_unit, register_resident

pytestmark = pytest.mark.django_db(transaction=True)

SIGNERS = 50
REPEATED = SIGNERS // 10  # attempts that repeat a person (the same account, a double submit)


@contextmanager
def pool_of(size: int) -> Iterator[None]:
    """Let the connection pool open `size` connections for the burst (the server allows 50)."""
    options = connections.settings["default"]["OPTIONS"]
    before = options.get("pool")
    connection.close()
    connection.close_pool()
    if isinstance(before, dict):
        options["pool"] = {**before, "max_size": size, "min_size": 1, "timeout": 60}
    try:
        yield
    finally:
        connection.close()
        connection.close_pool()
        options["pool"] = before


def run_at_once(attempts: list, work) -> list:
    """Run `work(attempt)` for every attempt in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(attempts))
    results: list = [None] * len(attempts)

    def one(index: int, attempt: object) -> None:
        try:
            barrier.wait(timeout=60)
            results[index] = work(attempt)
        except Exception as exc:  # noqa: BLE001 - every outcome is asserted by the test
            results[index] = exc
        finally:
            connections.close_all()  # this thread's connections go back

    threads = [threading.Thread(target=one, args=(i, a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a signer never finished"
    return results


@pytest.fixture
def collecting(territory: None, make_user) -> Initiative:
    return collecting_in_unit(Territory.objects.get(kato=UNIT_A), make_user)


@override_settings(ESEP_RATE_LIMITS=False)
def test_fifty_concurrent_signers_lose_nothing_and_double_nothing(collecting: Initiative, make_user) -> None:
    assert connection.vendor == "postgresql"
    distinct = SIGNERS - REPEATED
    people = [(make_user(), register_resident(collecting.kato)) for _n in range(distinct)]
    rng = random.Random(7)
    attempts = people + rng.sample(people, REPEATED)
    rng.shuffle(attempts)

    def sign(attempt: tuple) -> str:
        signer, iin = attempt
        try:
            services.signature_sign(initiative=collecting, iin=iin, signer=signer)
        except services.SignatureRefused as refused:
            return refused.code
        return "signed"

    with pool_of(SIGNERS):
        outcomes = run_at_once(attempts, sign)

    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert not errors, errors
    assert Counter(outcomes) == {"signed": distinct, "already_signed": REPEATED}
    initiative = Initiative.objects.get(pk=collecting.pk)
    rows = Signature.private_objects.filter(initiative=initiative)
    assert initiative.signature_count == rows.count() == distinct
    assert set(rows.values_list("iin_fingerprint", flat=True)) == {iin_fingerprint(iin) for _u, iin in people}


@override_settings(ESEP_RATE_LIMITS=False)
def test_two_ticks_at_once_close_signing_once(collecting: Initiative) -> None:
    after = at(collecting.signing_closes_on + timedelta(days=1), 0)
    with pool_of(10):
        summaries = run_at_once([after] * 2, lambda now: tick.run(now=now))
    assert not any(isinstance(summary, Exception) for summary in summaries), summaries
    assert sorted("closed in 1" in summary for summary in summaries) == [False, True]
    assert Initiative.objects.get(pk=collecting.pk).state == State.VERIFICATION
    assert InitiativeEvent.objects.filter(initiative=collecting, to_state=State.VERIFICATION).count() == 1
