"""Recall test data, made through the real services (other tests may import these too).

iin = register_resident(unit)                      # a person of the population register living in `unit`
initiative = filed_initiative(unit, residents)     # filed by residents[0], the others joined
initiative = collecting_initiative(unit, residents, commission)
"""

import itertools
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from esep.appeals import services as appeals
from esep.appeals.models import Appeal, Category
from esep.core.iin import generate_valid_iin, iin_fingerprint, mask_iin
from esep.core.models import Role
from esep.recall import services
from esep.recall.models import EvidenceKind, Initiative
from esep.recall.services import Cited
from esep.registries.models import DemoPerson
from esep.territory.models import Territory
from esep.territory.services import unit_set_figures
from tests.elections.factories import make_party, make_sitting_akim

_serials = itertools.count(3000)


def at(day: date, hour: int = 10) -> datetime:
    """An aware Asia/Almaty moment on `day`."""
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def new_iin(birth_date: date = date(1985, 4, 12), sex: str = "F") -> str:
    """A valid IIN that no other recall test person has."""
    while True:
        try:
            return generate_valid_iin(birth_date, sex, next(_serials) % 10000)
        except ValueError:
            continue


def register_resident(kato: str, *, birth_date: date = date(1985, 4, 12), iin: str | None = None) -> str:
    """A row of the population register (the demo adapter's data, as `esep demo` writes it); its IIN."""
    iin = iin or new_iin(birth_date)
    DemoPerson.objects.create(
        iin_fingerprint=iin_fingerprint(iin),
        iin_masked=mask_iin(iin),
        kato=kato,
        birth_date=birth_date,
        sex="F",
        household_size=3,
    )
    return iin


def overdue_appeal(
    unit: Territory, resident: AbstractBaseUser, *, days_ago: int = 60, now: datetime | None = None
) -> Appeal:
    """A request of the unit registered `days_ago` days before `now` and never answered: past its deadline."""
    return appeals.appeal_register(
        unit=unit,
        category=Category.objects.get(code="roads"),
        text="Дорога разбита, просим отремонтировать.",
        resident=resident,
        now=(now or timezone.now()) - timedelta(days=days_ago),
    )


def filed_initiative(
    unit: Territory,
    residents: Sequence[AbstractBaseUser],
    *,
    grounds: str = "Обещанный ремонт дорог не выполнен, обращения остаются без ответа.",
    evidence: Sequence[Cited] | None = None,
    now: datetime | None = None,
) -> Initiative:
    """Filed by residents[0]; every other resident joins the group."""
    if evidence is None:
        evidence = [Cited(EvidenceKind.APPEAL, overdue_appeal(unit, residents[0], now=now).pk)]
    initiative = services.initiative_file(
        unit=unit, grounds=grounds, evidence=evidence, actor=residents[0], now=now
    )
    for resident in residents[1:]:
        services.initiative_join(initiative=initiative, actor=resident, now=now)
    return initiative


def collecting_initiative(
    unit: Territory,
    residents: Sequence[AbstractBaseUser],
    commission: AbstractBaseUser,
    *,
    now: datetime | None = None,
) -> Initiative:
    """Filed, joined by the group and registered: signing is open from the registration day."""
    initiative = filed_initiative(unit, residents, now=now)
    return services.initiative_register(initiative=initiative, actor=commission, now=now)


def collecting_in_unit(unit: Territory, make_user) -> Initiative:
    """A signing burst's starting point: 1,000 voters, a sitting AMANAT akim past the first-year bar, ten
    residents in the group, the district commission registering it. Reloads the request categories a flush by
    an earlier transactional test removed."""
    appeals.categories_load()
    unit_set_figures(unit=unit, voters=1000, population=1500)
    make_sitting_akim(unit, party=make_party("AMANAT"), starts_on=timezone.localdate() - timedelta(days=800))
    residents = [make_user(Role.RESIDENT, unit) for _n in range(10)]
    commission = make_user(Role.COMMISSION, Territory.objects.get(kato=unit.district_code))
    return collecting_initiative(unit, residents, commission)


def signed_by(initiative: Initiative, count: int, commission: AbstractBaseUser, *, number: int = 1) -> None:
    """`count` residents of the unit sign on one paper sheet on the signing period's first day."""
    day = initiative.signing_opens_on
    lines = [services.PaperLine(n, register_resident(initiative.kato), day) for n in range(1, count + 1)]
    services.paper_sheet_enter(
        initiative=initiative, number=number, lines=lines, actor=commission, now=at(day)
    )


def closed_initiative(initiative: Initiative) -> Initiative:
    """The day after its last signing day, as `esep tick` would leave it: in verification."""
    services.initiative_close_signing(
        initiative=initiative, now=at(initiative.signing_closes_on + timedelta(days=1))
    )
    initiative.refresh_from_db()
    return initiative


def reached_initiative(
    unit: Territory, residents: Sequence[AbstractBaseUser], commission: AbstractBaseUser, *, signed: int = 10
) -> Initiative:
    """Filed 80 days ago, signed by `signed` residents, closed and certified 48 days ago (in the past, so
    that a recall vote can be held and its result registered before today)."""
    today = timezone.localdate()
    initiative = filed_initiative(unit, residents, now=at(today - timedelta(days=80)))
    initiative = services.initiative_register(
        initiative=initiative, actor=commission, now=at(today - timedelta(days=79))
    )
    signed_by(initiative, signed, commission)
    initiative = closed_initiative(initiative)
    return services.initiative_certify(
        initiative=initiative, actor=commission, now=at(today - timedelta(days=48))
    )
