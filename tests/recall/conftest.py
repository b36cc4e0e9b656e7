"""Fixtures of the recall tests: a unit of 100 voters with a sitting akim elected 800 days ago, its residents
(the initiative group), the commission of its district and one of another region, and register people."""

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from esep.core.models import Role
from esep.elections.models import Mandate, Party
from esep.elections.services import person_link_user
from esep.territory.models import Territory
from esep.territory.services import unit_set_figures
from tests.elections.factories import make_party, make_sitting_akim

VOTERS = 100  # 10% of them: 10 signatures


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def no_rate_limits(settings) -> None:
    """Rate limits have their own test (test_rate_limits); elsewhere they would only count requests."""
    settings.ESEP_RATE_LIMITS = False


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def unit(unit_a: Territory) -> Territory:
    unit_set_figures(unit=unit_a, voters=VOTERS, population=VOTERS * 2)
    unit_a.refresh_from_db()
    return unit_a


@pytest.fixture
def amanat(db: None) -> Party:
    return make_party("AMANAT")


@pytest.fixture
def mandate(unit: Territory, amanat: Party, today: date) -> Mandate:
    return make_sitting_akim(unit, party=amanat, starts_on=today - timedelta(days=800))


@pytest.fixture
def residents(make_user, unit: Territory, mandate: Mandate) -> list:
    return [make_user(Role.RESIDENT, unit, username=f"resident{n}") for n in range(10)]


@pytest.fixture
def outsider(make_user, unit_b: Territory):
    return make_user(Role.RESIDENT, unit_b, username="outsider")


@pytest.fixture
def commission(make_user, unit: Territory):
    return make_user(Role.COMMISSION, Territory.objects.get(kato=unit.district_code), username="commission")


@pytest.fixture
def other_commission(make_user, unit_b: Territory):
    return make_user(
        Role.COMMISSION, Territory.objects.get(kato=unit_b.district_code), username="commission.b"
    )


@pytest.fixture
def akim_user(make_user, mandate: Mandate):
    user = make_user(username="akim")
    person_link_user(person=mandate.person, user=user)
    return user


@pytest.fixture
def residents_of(make_user):
    """Ten residents of any unit (for tests that set the unit up themselves)."""

    def make(unit: Territory) -> list:
        return [make_user(Role.RESIDENT, unit) for _n in range(10)]

    return make


@pytest.fixture
def commission_of(make_user):
    def make(unit: Territory):
        return make_user(Role.COMMISSION, Territory.objects.get(kato=unit.district_code))

    return make
