"""Fixtures of the dashboard tests: a small country made through the real services.

Unit A (Abay region) and unit A2 (same district) and unit B (Akmola region) get a sitting akim each; A and B
publish programs whose promises the akimat rates; residents of A and B send requests that are answered or
forwarded; the akim of A completes every required module of the School of Akims.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from esep.appeals import services as appeal_services
from esep.appeals.models import Appeal, Body, Category
from esep.core.models import Role
from esep.elections.models import Mandate
from esep.programs.models import Program
from esep.programs.services import promise_record_update
from esep.recall.models import Initiative
from esep.reports.services import report_stats_refresh
from esep.territory.models import Territory
from tests.elections.factories import make_person, make_sitting_akim
from tests.programs.factories import published_program, reference_data
from tests.recall.factories import filed_initiative
from tests.training.factories import complete, make_catalogue, make_session


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def rate(program: Program, number: str, status: str, reason: str = "") -> None:
    promise = program.promises.get(local_id=number)
    promise_record_update(
        promise=promise,
        status=status,
        progress=100 if status == "kept" else 40,
        spent_kzt=None,
        narrative=f"Rated {status}.",
        actor=None,
        source="tests",
        reason=reason,
    )


@dataclass
class World:
    unit_a: Territory
    unit_a2: Territory
    unit_b: Territory
    akim_a: Mandate
    akim_a2: Mandate
    akim_b: Mandate
    program_a: Program
    program_b: Program
    send: Callable[..., Appeal]
    staff_a: object
    staff_b: object


@pytest.fixture
def world(unit_a: Territory, unit_a2: Territory, unit_b: Territory, make_user) -> World:
    reference_data(unit_a, unit_a2, unit_b)
    akim_a = make_sitting_akim(unit_a, person=make_person(full_name="Ахметов Асқар Серікұлы"))
    akim_a2 = make_sitting_akim(unit_a2, person=make_person(full_name="Омарова Дана Болатқызы", sex="F"))
    akim_b = make_sitting_akim(unit_b, person=make_person(full_name="Сапаров Ерлан Нұрланұлы"))
    # Akim A: 4 promises, 1 kept, 1 broken; akim B: 2 promises, 1 in progress.
    program_a = published_program(akim_a, promises=4)
    rate(program_a, "P1", "kept")
    rate(program_a, "P2", "broken", reason="The district took the money back.")
    program_b = published_program(akim_b, promises=2)
    rate(program_b, "P1", "in_progress")
    # Akim A holds the four required modules.
    catalogue = make_catalogue()
    for course in ("foundation", "procurement", "leadership"):
        complete(make_session(catalogue.courses[course]), akim_a)

    resident = make_user(Role.RESIDENT, unit_a, full_name="Айгүл Сапарова")
    staff_a = make_user(Role.AKIMAT_STAFF, unit_a, full_name="Дана Омарова")
    staff_b = make_user(Role.AKIMAT_STAFF, unit_b)
    categories = {category.code: category for category in Category.objects.all()}

    def send(unit: Territory, code: str = "roads", *, days_ago: int = 3, text: str = "") -> Appeal:
        return appeal_services.appeal_register(
            unit=unit,
            category=categories[code],
            text=text or "На улице Абая большие ямы, просим отремонтировать.",
            resident=resident,
            now=timezone.now() - timedelta(days=days_ago),
        )

    # Unit A: three requests, two answered on time, one forwarded; unit B: one, answered.
    for code in ("roads", "roads"):
        appeal_services.appeal_answer(actor=staff_a, appeal=send(unit_a, code), answer="Repaired.")
    appeal_services.appeal_forward(actor=staff_a, appeal=send(unit_a, "health", days_ago=1), body=Body.REGION)
    appeal_services.appeal_answer(actor=staff_b, appeal=send(unit_b, "water"), answer="Fixed the pipe.")
    # Where each akim stands against the report schedule (what `esep tick` keeps current).
    report_stats_refresh(unit_ids=[unit_a.pk, unit_a2.pk, unit_b.pk])
    return World(
        unit_a=unit_a,
        unit_a2=unit_a2,
        unit_b=unit_b,
        akim_a=akim_a,
        akim_a2=akim_a2,
        akim_b=akim_b,
        program_a=program_a,
        program_b=program_b,
        send=send,
        staff_a=staff_a,
        staff_b=staff_b,
    )


GROUNDS = "Обещанный ремонт школы в ауле Жаңаталап не выполнен уже второй год подряд."


@pytest.fixture
def initiative_b(world: World, make_user) -> Initiative:
    """Ten residents of unit B file a recall initiative against its akim (state: filed, under way)."""
    residents = [make_user(Role.RESIDENT, world.unit_b, full_name=f"Житель Тестовый{n}") for n in range(10)]
    return filed_initiative(world.unit_b, residents, grounds=GROUNDS)
