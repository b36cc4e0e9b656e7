from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from esep.elections.models import Mandate
from esep.territory.models import Territory
from tests.elections.factories import make_person, make_sitting_akim
from tests.training.factories import Catalogue, make_catalogue


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language (Russian is the default when none is asked)."""
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    """Pages in English too: the browser asks for it."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    return make_catalogue()


@pytest.fixture
def akim_a(unit_a: Territory) -> Mandate:
    """A first-time akim of unit A with five years in the civil service."""
    return make_sitting_akim(
        unit_a, person=make_person(full_name="Ахметов Асқар Серікұлы", civil_service_years=5)
    )


@pytest.fixture
def akim_a2(unit_a2: Territory) -> Mandate:
    return make_sitting_akim(unit_a2, person=make_person(full_name="Омарова Дана Болатқызы", sex="F"))


@pytest.fixture
def akim_b(unit_b: Territory) -> Mandate:
    return make_sitting_akim(unit_b, person=make_person(full_name="Сапаров Ерлан Нұрланұлы"))
