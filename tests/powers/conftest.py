"""A small hand-made catalogue, built through the services, where the duplicated pairs, the non-core power and
the missing categories are known; request counters made through the appeals services."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractBaseUser

from esep.appeals import services as appeals_services
from esep.appeals.models import Body, Category
from esep.core.models import Role
from esep.powers import services
from esep.powers.models import Power, SectorOwner
from esep.territory.models import Territory

# code, level, sector, text_ru, text_kk
HAND_MADE = [
    (
        "landscaping.lighting",
        "rural",
        "landscaping",
        "Организует уличное освещение в сёлах и ремонт фонарей.",
        "Ауылдарда көше жарығын және шамдарды жөндеуді ұйымдастырады.",
    ),
    (
        "landscaping.district_lighting",
        "district",
        "landscaping",
        "Организует уличное освещение районного центра и ремонт фонарей.",
        "Аудан орталығында көше жарығын және шамдарды жөндеуді ұйымдастырады.",
    ),
    # Close to landscaping.lighting, but at the same level: never a duplicate pair.
    (
        "landscaping.lamp_posts",
        "rural",
        "landscaping",
        "Организует уличное освещение сельских улиц и замену фонарей.",
        "Ауыл көшелерінің жарығын және шамдарды ауыстыруды ұйымдастырады.",
    ),
    (
        "public_order.patrols",
        "rural",
        "public_order",
        "Содействует охране общественного порядка через добровольные дружины.",
        "Ерікті жасақтар арқылы қоғамдық тәртіпті сақтауға жәрдемдеседі.",
    ),
    (
        "police.patrol",
        "police",
        "public_order",
        "Охрана общественного порядка, в том числе с добровольными дружинами.",
        "Қоғамдық тәртіпті сақтау, оның ішінде ерікті жасақтармен.",
    ),
    (
        "roads.maintenance",
        "rural",
        "roads",
        "Содержание и текущий ремонт внутрипоселковых дорог.",
        "Кент ішіндегі жолдарды күтіп-ұстау және ағымдағы жөндеу.",
    ),
    (
        "land.allocation",
        "district",
        "land",
        "Предоставляет права на земельные участки.",
        "Жер учаскелеріне құқық береді.",
    ),
    (
        "utilities.tariffs",
        "other",
        "utilities",
        "Утверждает тарифы на коммунальные услуги.",
        "Коммуналдық қызметтердің тарифтерін бекітеді.",
    ),
    (
        "cemeteries.upkeep",
        "rural",
        "cemeteries",
        "Содержит кладбища и места захоронения.",
        "Зираттар мен жерлеу орындарын күтіп-ұстайды.",
    ),
    (
        "culture.district_library",
        "district",
        "culture",
        "Содержит районные библиотеки и дома культуры.",
        "Аудандық кітапханалар мен мәдениет үйлерін ұстайды.",
    ),
]
LIGHTING_PAIR = ("landscaping.district_lighting", "landscaping.lighting")
PATROL_PAIR = ("police.patrol", "public_order.patrols")


@pytest.fixture
def analyst(make_user) -> AbstractBaseUser:
    return make_user(Role.ANALYST, None, full_name="Марат Исаев")


@pytest.fixture
def regional_analyst(make_user, unit_a: Territory) -> AbstractBaseUser:
    return make_user(Role.ANALYST, Territory.objects.get(kato=unit_a.region_code))


@pytest.fixture
def resident(make_user, unit_a: Territory) -> AbstractBaseUser:
    return make_user(Role.RESIDENT, unit_a)


@pytest.fixture
def catalogue(db: None, analyst) -> dict[str, Power]:
    """Only the hand-made powers (the seeded catalogue is removed inside the test's transaction), and one
    owner of a sector: public order belongs to the police."""
    Power.objects.all().delete()
    SectorOwner.objects.all().delete()
    powers = {}
    for code, level, sector, text_ru, text_kk in HAND_MADE:
        powers[code] = services.power_create(
            actor=analyst,
            code=code,
            level=level,
            body="Комитет по регулированию естественных монополий" if level == "other" else "",
            sector=sector,
            text_ru=text_ru,
            text_kk=text_kk,
            text_en=f"{code} in English",
            act="Test act",
        )
    services.sector_owner_set(actor=analyst, sector="public_order", level="police", note="The police's.")
    return powers


@pytest.fixture
def make_requests(make_user, unit_a: Territory, unit_b: Territory) -> Callable[..., None]:
    """make_requests(category_code, unit, registered, forwarded): requests registered and forwarded today."""
    staff = {
        unit_a.kato: make_user(Role.AKIMAT_STAFF, unit_a),
        unit_b.kato: make_user(Role.AKIMAT_STAFF, unit_b),
    }
    resident = make_user(Role.RESIDENT, unit_a)

    def make(code: str, unit: Territory, registered: int, forwarded: int = 0) -> None:
        category = Category.objects.get(code=code)
        for number in range(registered):
            appeal = appeals_services.appeal_register(
                unit=unit, category=category, text=f"Просьба номер {number}", resident=resident
            )
            if number < forwarded:
                appeals_services.appeal_forward(actor=staff[unit.kato], appeal=appeal, body=Body.DISTRICT)

    return make


@pytest.fixture
def requests_made(catalogue, make_requests, unit_a: Territory, unit_b: Territory) -> None:
    """19 requests: roads 8 (none forwarded), land 8 (6 forwarded), public order 2 (2), tariffs 1 (1)."""
    make_requests("roads", unit_a, 6)
    make_requests("roads", unit_b, 2)
    make_requests("land", unit_a, 5, 4)
    make_requests("land", unit_b, 3, 2)
    make_requests("public_order", unit_a, 2, 2)
    make_requests("tariffs", unit_a, 1, 1)
