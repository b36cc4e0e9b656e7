"""Fixtures of the programs tests: reference data, a sitting akim of unit A with a login, and the standing
actors of access tests (owner, colleague, outsider)."""

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.utils import translation

from esep.core.models import Role
from esep.elections.models import Mandate
from esep.elections.services import person_link_user
from esep.territory.models import Territory
from tests.elections.factories import make_sitting_akim
from tests.programs.factories import reference_data


@pytest.fixture
def reference(unit_a: Territory, unit_a2: Territory, unit_b: Territory) -> None:
    reference_data(unit_a, unit_a2, unit_b)


@pytest.fixture
def akim_a(reference: None, unit_a: Territory) -> Mandate:
    return make_sitting_akim(unit_a)


@pytest.fixture
def owner(akim_a: Mandate, make_user) -> AbstractBaseUser:
    """The sitting akim of unit A, signed in with the login linked to their person (and so the akim role)."""
    user = make_user(username="akim-a")
    person_link_user(person=akim_a.person, user=user)
    return user


@pytest.fixture
def colleague(unit_a: Territory, make_user) -> AbstractBaseUser:
    """Akimat staff of unit A."""
    return make_user(Role.AKIMAT_STAFF, unit_a, username="staff-a")


@pytest.fixture
def neighbour(reference: None, unit_a2: Territory, make_user) -> AbstractBaseUser:
    """The sitting akim of unit A2, in the same district."""
    mandate = make_sitting_akim(unit_a2)
    user = make_user(username="akim-a2")
    person_link_user(person=mandate.person, user=user)
    return user


@pytest.fixture
def outsider(unit_a: Territory, make_user) -> AbstractBaseUser:
    """A resident of unit A: reads everything public, drafts nothing."""
    return make_user(Role.RESIDENT, unit_a, username="resident-a")


@pytest.fixture
def english() -> None:
    """Messages in English, the source language, for tests that read them."""
    with translation.override("en"):
        yield
