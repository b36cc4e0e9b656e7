from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from esep.elections.models import Party
from esep.territory.models import Territory
from tests.elections.factories import ensure_voters, make_party


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language (Russian is the default when none is asked)."""
    with translation.override("en"):
        yield


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def voting_day(today: date) -> date:
    return today + timedelta(days=45)


@pytest.fixture
def unit(unit_a: Territory) -> Territory:
    """Unit A with 2,000 voters recorded."""
    return ensure_voters(unit_a, 2000)


@pytest.fixture
def amanat(db: None) -> Party:
    return make_party("AMANAT")


@pytest.fixture
def auyl(db: None) -> Party:
    return make_party("AUYL")
