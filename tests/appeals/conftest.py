"""Fixtures of the requests tests: the three standing actors and requests made through the services."""

from collections.abc import Callable, Iterator
from datetime import date, datetime, time

import pytest
from django.test import Client
from django.utils import timezone, translation

from esep.appeals import services
from esep.appeals.models import Appeal, Category
from esep.core.models import Role
from esep.territory.models import Territory


def at(day: date, hour: int = 10) -> datetime:
    """An aware Asia/Almaty moment on `day`."""
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in the English source text, whatever the translators have done since."""
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def categories(db: None) -> dict[str, Category]:
    return {category.code: category for category in Category.objects.all()}


@pytest.fixture
def resident(make_user, unit_a: Territory):
    return make_user(Role.RESIDENT, unit_a, full_name="Айгүл Сапарова")


@pytest.fixture
def neighbour(make_user, unit_a: Territory):
    return make_user(Role.RESIDENT, unit_a)


@pytest.fixture
def staff(make_user, unit_a: Territory):
    return make_user(Role.AKIMAT_STAFF, unit_a, full_name="Дана Омарова")


@pytest.fixture
def akim(make_user, unit_a: Territory):
    return make_user(Role.AKIM, unit_a)


@pytest.fixture
def other_staff(make_user, unit_b: Territory):
    return make_user(Role.AKIMAT_STAFF, unit_b)


@pytest.fixture
def supervisor(make_user, unit_a: Territory):
    return make_user(Role.DISTRICT_SUPERVISOR, Territory.objects.get(kato=unit_a.district_code))


@pytest.fixture
def make_appeal(resident, unit_a: Territory, categories) -> Callable[..., Appeal]:
    def make(code: str = "roads", *, now: datetime | None = None, **kwargs: object) -> Appeal:
        kwargs.setdefault("unit", unit_a)
        kwargs.setdefault("resident", resident)
        kwargs.setdefault("text", "На улице Абая большие ямы, просим отремонтировать.")
        return services.appeal_register(category=categories[code], now=now, **kwargs)

    return make
