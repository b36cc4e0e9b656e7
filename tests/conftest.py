"""Shared fixtures: the real KATO territory loaded once per session, and users made through the services."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.utils import translation

from esep.accounts.services import role_assign, user_create
from esep.territory.models import Territory
from esep.territory.services import territory_import

ROOT = Path(__file__).resolve().parent.parent
KATO_CSV = ROOT / "data" / "kato.csv"
PASSWORD = "correct-horse-battery-staple"

# Units used across tests: two rural okrugs in one district, one in another region.
UNIT_A = "103230000"  # Қараауыл а.о., Abay district, Abay region
UNIT_A2 = "103233000"  # Кеңгірбай би а.о., same district
UNIT_B = "113630000"  # Астрахан а.о., Akmola region


def _flushes_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    uses_live_server = "live_server" in getattr(item, "fixturenames", ())
    return uses_live_server or bool(marker and marker.kwargs.get("transaction"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Transactional tests end with a flush that empties every table: run them after all the others.
    items.sort(key=_flushes_database)


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Tests read messages in English, the source language; a test of another language asks for it."""
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    """The test client speaks English unless a request sends its own Accept-Language."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: object) -> None:
    with django_db_blocker.unblock():
        if not Territory.objects.exists():
            territory_import(path=KATO_CSV)


@pytest.fixture
def territory(transactional_db: None) -> None:
    """For transactional tests: the territory and the reference data the migrations load (request
    categories, the catalogue of powers, the owners of sectors), again if an earlier flush removed them."""
    if not Territory.objects.exists():
        territory_import(path=KATO_CSV)
    reference_data_restore()


def reference_data_restore() -> None:
    """What data migrations wrote, written again after a flush (the same loaders the migrations call)."""
    from esep.appeals.catalogue import category_rows
    from esep.appeals.models import Category
    from esep.powers.models import Power, SectorOwner
    from esep.powers.seed import mark_checked_bases, seed_powers, seed_sector_owners

    if not Category.objects.exists():
        for row in category_rows():
            code = row.pop("code")
            Category.objects.update_or_create(code=code, defaults=row)
    if not Power.objects.exists():
        seed_powers(Power)
        mark_checked_bases(Power)
    if not SectorOwner.objects.exists():
        seed_sector_owners(SectorOwner)


@pytest.fixture
def unit_a(db: None) -> Territory:
    return Territory.objects.get(kato=UNIT_A)


@pytest.fixture
def unit_a2(db: None) -> Territory:
    return Territory.objects.get(kato=UNIT_A2)


@pytest.fixture
def unit_b(db: None) -> Territory:
    return Territory.objects.elected_units().filter(kato__startswith="11").order_by("kato").first()


@pytest.fixture
def make_user(db: None) -> Callable[..., AbstractBaseUser]:
    counter = {"n": 0}

    def make(role: str | None = None, territory: Territory | None = None, *, party_code: str = "", **kw: str):
        counter["n"] += 1
        user = user_create(
            username=kw.get("username", f"user{counter['n']}"),
            password=PASSWORD,
            full_name=kw.get("full_name", f"Test User {counter['n']}"),
            check_password=False,
        )
        if role:
            role_assign(user=user, role=role, territory=territory, party_code=party_code)
        return user

    return make
