"""Fixtures of the gateway tests: a request of unit A, its akimat staff, and people of the demo register."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from esep.appeals import services
from esep.appeals.models import Category
from esep.core.iin import generate_valid_iin, iin_fingerprint, mask_iin
from esep.core.models import Role
from esep.registries.models import DemoPerson, DemoPlot, DemoProperty


def make_iin(serial: int, birth: date = date(1985, 4, 12), sex: str = "F") -> str:
    while True:
        try:
            return generate_valid_iin(birth, sex, serial)
        except ValueError:
            serial += 1


def register_person(kato: str, iin: str, *, household: int = 4, social: str = "") -> DemoPerson:
    """A row of the external register (the demo adapter's data), as `esep demo` writes it."""
    return DemoPerson.objects.create(
        iin_fingerprint=iin_fingerprint(iin),
        iin_masked=mask_iin(iin),
        kato=kato,
        birth_date=date(1985, 4, 12),
        sex="F",
        household_size=household,
        social_status=social,
        social_since=date(2023, 5, 1) if social else None,
    )


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
def staff(make_user, unit_a):
    return make_user(Role.AKIMAT_STAFF, unit_a, full_name="Дана Омарова")


@pytest.fixture
def other_staff(make_user, unit_b):
    return make_user(Role.AKIMAT_STAFF, unit_b)


@pytest.fixture
def akim(make_user, unit_a):
    return make_user(Role.AKIM, unit_a)


@pytest.fixture
def resident(make_user, unit_a):
    return make_user(Role.RESIDENT, unit_a)


@pytest.fixture
def appeal(resident, unit_a):
    return services.appeal_register(
        unit=unit_a, category=Category.objects.get(code="social"), text="Помогите с АСП.", resident=resident
    )


@pytest.fixture
def person_iin(unit_a) -> str:
    iin = make_iin(100)
    register_person(unit_a.kato, iin, household=5, social="targeted")
    DemoPlot.objects.create(
        cadastral_number="10-32-30-001",
        kato=unit_a.kato,
        owner_fingerprint=iin_fingerprint(iin),
        area_ha=Decimal("0.1200"),
        land_use="individual housing",
        right="ownership",
    )
    DemoProperty.objects.create(
        kato=unit_a.kato,
        owner_fingerprint=iin_fingerprint(iin),
        kind="house",
        area_m2=Decimal("86.5"),
        registered_on=date(2001, 1, 1),
    )
    return iin


@pytest.fixture
def outsider_iin(unit_b) -> str:
    iin = make_iin(200, sex="M")
    register_person(unit_b.kato, iin)
    DemoPlot.objects.create(
        cadastral_number="11-36-33-001",
        kato=unit_b.kato,
        owner_fingerprint=iin_fingerprint(iin),
        area_ha=Decimal("1.5"),
        land_use="pasture",
        right="lease",
    )
    return iin
