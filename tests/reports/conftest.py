"""Fixtures of the reports tests: reference data, a sitting akim of unit A with a program and a login, the
standing actors (owner, colleague, outsider), residents of unit A and of unit A2, a moderator."""

import pytest
from django.contrib.auth.models import AbstractBaseUser

from esep.core.models import Role
from esep.elections.models import Mandate
from esep.elections.services import person_link_user
from esep.territory.models import Territory
from tests.programs.factories import reference_data
from tests.reports.factories import akim_with_program


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> None:
    """Evidence files go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reference(unit_a: Territory, unit_a2: Territory, unit_b: Territory) -> None:
    reference_data(unit_a, unit_a2, unit_b)


@pytest.fixture
def mandate(reference: None, unit_a: Territory) -> Mandate:
    """The sitting akim of unit A, first report due in 10 days, a program of 3 promises."""
    return akim_with_program(unit_a, due_in_days=10)


@pytest.fixture
def akim(mandate: Mandate, make_user) -> AbstractBaseUser:
    user = make_user(username="akim-a")
    person_link_user(person=mandate.person, user=user)
    return user


@pytest.fixture
def staff(unit_a: Territory, make_user) -> AbstractBaseUser:
    return make_user(Role.AKIMAT_STAFF, unit_a, username="staff-a")


@pytest.fixture
def resident(unit_a: Territory, make_user) -> AbstractBaseUser:
    return make_user(Role.RESIDENT, unit_a, username="resident-a")


@pytest.fixture
def other_resident(unit_a2: Territory, make_user) -> AbstractBaseUser:
    """A resident of the neighbouring unit A2: reads everything, rates nothing in unit A."""
    return make_user(Role.RESIDENT, unit_a2, username="resident-a2")


@pytest.fixture
def supervisor(unit_a: Territory, make_user) -> AbstractBaseUser:
    district = Territory.objects.get(kato=unit_a.district_code)
    return make_user(Role.DISTRICT_SUPERVISOR, district, username="supervisor")


@pytest.fixture
def outsider_akim(reference: None, unit_b: Territory, make_user) -> AbstractBaseUser:
    """The akim of a unit in another region."""
    from tests.elections.factories import make_sitting_akim

    mandate = make_sitting_akim(unit_b)
    user = make_user(username="akim-b")
    person_link_user(person=mandate.person, user=user)
    return user
