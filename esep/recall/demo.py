"""`esep demo` step: recall initiatives across the country in every stage, and parties' withdrawals.

Everything goes through the services, with the dates of each step in the past, so the timeline, the audit log
and the register look-ups are the real ones. Signers are the synthetic residents of the demo register
(`esep.registries.demo.demo_people`): the initiative group signs online from its accounts, the others on paper
sheets that the commission enters. Units that can reach the threshold are those whose register has enough
residents for 10% of their voters; the choice is seeded, and the step runs once (a second run only says so).

- the demo unit (KATO 103230000): collecting, with live signatures, filed by demo.resident, answered by
  demo.akim, followed by demo.commission; in the same district one filed for demo.commission to register;
- verification (signing closed, waiting for the commission), a recall vote scheduled, an akim recalled with
  the early election called, a vote that failed on turnout, one closed below the threshold and, in the same
  unit, one refused because that failure is recent;
- a party's withdrawal registered (mandate ended, early election called) and one waiting in the demo district.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from esep.accounts.services import role_assign, user_create
from esep.appeals.models import Appeal, Category
from esep.appeals.services import appeal_register
from esep.core.errors import ApplicationError
from esep.core.iin import generate_valid_iin, iin_fingerprint
from esep.core.models import Role
from esep.demo.accounts import DEMO_UNIT_KATO
from esep.elections.models import Mandate
from esep.recall import rules, selectors, services
from esep.recall.models import EvidenceKind, Initiative
from esep.recall.services import Cited, PaperLine
from esep.recall.states import State
from esep.registries.demo import demo_people
from esep.registries.models import DemoPerson
from esep.territory.models import Territory

SEED = "esep-recall-demo-2026"
GROUNDS = [
    "Аким обещал отремонтировать дорогу до школы и построить водопровод, но сроки прошли, работы не начаты. "
    "Обращения жителей о воде и дорогах остаются без ответа по месяцу и больше. Мы требуем отзыва акима.",
    "Әкім сайлауалды уәделерін орындамады: көше жарығы мен су құбыры салынбады, тұрғындардың өтініштеріне "
    "уақытында жауап берілмейді. Бастамашыл топ әкімді кері шақыруды талап етеді.",
    "Программа акима не выполняется: обещанный ремонт клуба и освещение улиц сорваны, отчёты не проводятся, "
    "обращения жителей просрочены. Просим провести голосование об отзыве.",
]
AKIM_ANSWER = (
    "Водопровод включён в план района на следующий год, проектно-сметная документация готова. Ремонт дороги "
    "перенесён из-за сокращения трансфертов. Просрочки по обращениям признаю, назначен ответственный."
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _at(day: date, hour: int = 11) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@dataclass
class Plan:
    today: date
    rng: random.Random
    out: TextIO
    cec: object
    district_commission: object | None
    used: set[str]
    made: dict[str, int]


def _accounts(unit: Territory, count: int, first: object | None = None) -> list:
    """The initiative group: `first` (if given) and residents of the unit with demo accounts (no password)."""
    users = get_user_model().objects
    group = [first] if first is not None else []
    n = 0
    while len(group) < count:
        n += 1
        username = f"demo.recall.{unit.kato}.{n}"
        user = users.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username, password=None, full_name=f"Тұрғын {n}", check_password=False
            )
            role_assign(user=user, role=Role.RESIDENT, territory=unit)
        group.append(user)
    return group


def _register_people(kato: str) -> list[str]:
    """IINs of the unit's people in the demo register, in the generator's order."""
    present = set(DemoPerson.objects.filter(kato=kato).values_list("iin_fingerprint", flat=True))
    return [person.iin for person in demo_people(kato) if iin_fingerprint(person.iin) in present]


def _evidence(unit: Territory, before: datetime, resident: object) -> list[Cited]:
    """Requests of the unit answered late before the filing; without any, one the resident sent and nobody
    answered (through the appeals service, 50 days before the filing)."""
    late = list(
        Appeal.private_objects.filter(kato=unit.kato, missed=True, registered_at__lt=before)
        .order_by("-registered_at")
        .values_list("pk", flat=True)[:3]
    )
    if not late:
        category = Category.objects.filter(code="roads").first() or Category.objects.order_by("pk").first()
        appeal = appeal_register(
            unit=unit,
            category=category,
            text="Дорогу на нашей улице не ремонтируют третий год, весной она непроезжая. Просим ответить.",
            resident=resident,
            now=before - timedelta(days=50),
        )
        late = [appeal.pk]
    return [Cited(EvidenceKind.APPEAL, pk) for pk in late]


def _minor_iin(day: date) -> str:
    birth = day.replace(year=day.year - 15)
    for serial in range(1, 100):
        try:
            return generate_valid_iin(birth, "F", serial)
        except ValueError:
            continue
    raise RuntimeError("no IIN")  # pragma: no cover


def _file(plan: Plan, unit: Territory, day: date, group: list, grounds: str) -> Initiative:
    evidence = _evidence(unit, _at(day), group[0])
    initiative = services.initiative_file(
        unit=unit, grounds=grounds, evidence=evidence, actor=group[0], now=_at(day)
    )
    for member in group[1:]:
        services.initiative_join(initiative=initiative, actor=member, now=_at(day, 15))
    return initiative


def _sign_and_sheet(
    plan: Plan,
    initiative: Initiative,
    group: list,
    people: list[str],
    *,
    online: int,
    paper: int,
    commission: object,
    last_day: date,
) -> None:
    """`online` group members sign from their accounts; `paper` more people on one sheet, and refusals."""
    opens = initiative.signing_opens_on
    span = max(0, (last_day - opens).days)
    for member, iin in zip(group[1 : online + 1], people[1 : online + 1], strict=False):
        day = opens + timedelta(days=plan.rng.randint(0, span))
        services.signature_sign(
            initiative=initiative, iin=iin, signer=member, now=_at(day, plan.rng.randint(8, 20))
        )
    if not paper:
        return
    sheet_day = opens + timedelta(days=span // 2)
    lines = [PaperLine(n, iin, sheet_day) for n, iin in enumerate(people[online + 1 : online + 1 + paper], 1)]
    others = [t for t in _register_people_elsewhere(initiative.kato)]
    extra = [
        people[1],  # already signed online: refused as already signed
        others[0] if others else "",  # lives in another unit: refused as not resident
        _minor_iin(sheet_day),  # 15 years old: refused as under 18
        "85041240123",  # 11 digits: not a valid IIN
    ]
    lines += [PaperLine(len(lines) + n, iin, sheet_day) for n, iin in enumerate(extra, 1) if iin]
    services.paper_sheet_enter(
        initiative=initiative, number=1, lines=lines, actor=commission, now=_at(sheet_day + timedelta(days=1))
    )


def _register_people_elsewhere(kato: str) -> list[str]:
    neighbour = (
        DemoPerson.objects.exclude(kato=kato)
        .filter(kato__startswith=kato[:4])
        .values_list("kato", flat=True)
        .first()
    )
    return _register_people(neighbour)[:1] if neighbour else []


def _through_verification(
    plan: Plan, initiative: Initiative, commission: object, *, reject: int = 1
) -> Initiative:
    closes = initiative.signing_closes_on
    services.initiative_close_signing(initiative=initiative, now=_at(closes + timedelta(days=1), 0))
    initiative.refresh_from_db()
    for signature in selectors.signatures(initiative)[:reject]:
        services.signature_reject(
            signature=signature, reason="illegible", actor=commission, now=_at(closes + timedelta(days=3))
        )
    return initiative


def _certify(initiative: Initiative, commission: object) -> Initiative:
    initiative.refresh_from_db()
    return services.initiative_certify(
        initiative=initiative, actor=commission, now=_at(initiative.signing_closes_on + timedelta(days=5))
    )


def _full(plan: Plan, unit: Territory, *, filed_ago: int, stop: str) -> Initiative:
    """An initiative taken from filing to `stop`: verification, vote_scheduled, recalled or not_recalled."""
    people = _register_people(unit.kato)
    day = plan.today - timedelta(days=filed_ago)
    group = _accounts(unit, 10)
    initiative = _file(plan, unit, day, group, plan.rng.choice(GROUNDS))
    initiative = services.initiative_register(
        initiative=initiative, actor=plan.cec, now=_at(day + timedelta(days=3))
    )
    closes = initiative.signing_closes_on
    needed = initiative.signatures_required
    # Nine members sign online, the rest on paper; one signature is rejected at verification.
    paper = max(0, min(len(people) - 10, needed - 7))
    _sign_and_sheet(
        plan,
        initiative,
        group,
        people,
        online=9,
        paper=paper,
        commission=plan.cec,
        last_day=min(closes, plan.today),
    )
    initiative = _through_verification(plan, initiative, plan.cec)
    if stop == State.VERIFICATION:
        return initiative
    initiative = _certify(initiative, plan.cec)
    if initiative.state != State.CERTIFIED_REACHED:
        raise ApplicationError("threshold not reached")
    scheduled = closes + timedelta(days=7)
    voting = scheduled + timedelta(days=35)
    initiative = services.recall_vote_schedule(
        initiative=initiative, voting_date=voting, actor=plan.cec, now=_at(scheduled)
    )
    if stop == State.VOTE_SCHEDULED:
        return initiative
    voters = unit.voters
    cast = round(voters * (0.62 if stop == State.RECALLED else 0.41))
    return services.recall_vote_result(
        initiative=initiative,
        voters_registered=voters,
        ballots_cast=cast,
        invalid_ballots=round(cast * 0.02),
        votes_for_recall=round(cast * 0.7),
        actor=plan.cec,
        now=_at(voting, 22),
    )


def _closed_then_refused(plan: Plan, unit: Territory) -> Initiative:
    """Closed below the threshold 120 days ago; a second initiative is refused for the recent failure."""
    people = _register_people(unit.kato)
    day = plan.today - timedelta(days=150)
    group = _accounts(unit, 10)
    first = _file(plan, unit, day, group, plan.rng.choice(GROUNDS))
    first = services.initiative_register(initiative=first, actor=plan.cec, now=_at(day + timedelta(days=2)))
    _sign_and_sheet(
        plan, first, group, people, online=5, paper=0, commission=plan.cec, last_day=first.signing_closes_on
    )
    first = _through_verification(plan, first, plan.cec, reject=0)
    first = _certify(first, plan.cec)
    again = plan.today - timedelta(days=20)
    second = _file(plan, unit, again, group, plan.rng.choice(GROUNDS))
    obstacles = selectors.registration_obstacles(second, again + timedelta(days=2))
    return services.initiative_refuse(
        initiative=second,
        reason=" ".join(message for _code, message in obstacles) or "Повторная инициатива.",
        actor=plan.cec,
        now=_at(again + timedelta(days=2)),
    )


def _demo_unit(plan: Plan, unit: Territory) -> Initiative:
    """Collecting in the demo unit: filed by demo.resident, answered by demo.akim, signed by part of it."""
    users = get_user_model().objects
    resident = users.filter(username="demo.resident").first()
    akim = users.filter(username="demo.akim").first()
    commission = plan.district_commission or plan.cec
    people = _register_people(unit.kato)
    day = plan.today - timedelta(days=12)
    group = _accounts(unit, 10, first=resident)
    initiative = _file(plan, unit, day, group, GROUNDS[0])
    initiative = services.initiative_register(
        initiative=initiative, actor=commission, now=_at(day + timedelta(days=2))
    )
    # demo.resident (people[0]) has not signed, so the demo account can try; others sign online and on paper.
    _sign_and_sheet(
        plan,
        initiative,
        group,
        people,
        online=8,
        paper=4,
        commission=commission,
        last_day=plan.today - timedelta(days=1),
    )
    if akim is not None and initiative.mandate.person.user_id == akim.pk:
        services.initiative_answer(
            initiative=initiative, text=AKIM_ANSWER, actor=akim, now=_at(day + timedelta(days=5))
        )
    return initiative


def _filed_in_district(plan: Plan, unit: Territory) -> Initiative:
    group = _accounts(unit, 10)
    return _file(plan, unit, plan.today - timedelta(days=3), group, plan.rng.choice(GROUNDS))


def _withdrawal(plan: Plan, unit: Territory, *, register: bool) -> object:
    officer = get_user_model().objects.filter(username="demo.party").first()
    mandate = Mandate.objects.current().filter(rural_unit=unit).select_related("party").first()
    if officer is None or mandate is None or mandate.party is None or mandate.party.code != "AMANAT":
        raise ApplicationError("no AMANAT akim here")
    filed = plan.today - timedelta(days=30 if register else 2)
    withdrawal = services.party_withdrawal_file(
        mandate=mandate,
        decision_number=f"{plan.rng.randint(10, 99)}-П",
        decision_date=filed - timedelta(days=3),
        grounds="Бюро политсовета партии отзывает акима за невыполнение предвыборной программы партии.",
        document=ContentFile(PDF, name="decision.pdf"),
        actor=officer,
        now=_at(filed),
    )
    if register:
        withdrawal = services.party_withdrawal_register(
            withdrawal=withdrawal, actor=plan.cec, now=_at(filed + timedelta(days=5))
        )
    return withdrawal


def _try(
    plan: Plan, label: str, units: list[Territory], make: Callable[[Territory], object]
) -> Territory | None:
    """Make one demo item in the first unit where the services accept it; each try is all or nothing."""
    for unit in units:
        if unit.kato in plan.used:
            continue
        try:
            with transaction.atomic():
                make(unit)
        except ApplicationError:
            continue
        plan.used.add(unit.kato)
        plan.made[label] = plan.made.get(label, 0) + 1
        return unit
    plan.out.write(f"recall demo: no unit could take '{label}'\n")
    return None


def _reachable_units(plan: Plan) -> list[Territory]:
    """Units whose register holds enough residents to reach 10% of the voters with a margin, seeded order."""
    people = dict(DemoPerson.objects.values("kato").annotate(n=Count("pk")).values_list("kato", "n"))
    share, bands = selectors.parameters(plan.today).signature_share, selectors.bands_in_force(plan.today)
    units = [
        unit
        for unit in Territory.objects.elected_units().filter(voters__gt=0).order_by("kato")
        if people.get(unit.kato, 0) >= rules.required_signatures(unit.voters, share=share, bands=bands)[0] + 4
    ]
    plan.rng.shuffle(units)
    return units


def _service_account() -> object:
    """A nationwide election commission account for the demo's decisions outside the demo district."""
    users = get_user_model().objects
    user = users.filter(username="demo.cec").first()
    if user is None:
        user = user_create(username="demo.cec", password=None, full_name="ЦИК (демо)", check_password=False)
        role_assign(user=user, role=Role.COMMISSION, territory=None)
    return user


def run(*, out: TextIO) -> None:
    if Initiative.objects.exists():
        out.write("recall demo: already loaded\n")
        return
    demo_unit = Territory.objects.filter(kato=DEMO_UNIT_KATO).first()
    if demo_unit is None or not DemoPerson.objects.exists() or not Mandate.objects.exists():
        out.write("recall demo: needs the territory, the elections and the registries demo; skipped\n")
        return
    users = get_user_model().objects
    plan = Plan(
        today=timezone.localdate(),
        rng=random.Random(SEED),  # noqa: S311 (seeded demo data)
        out=out,
        cec=_service_account(),
        district_commission=users.filter(username="demo.commission").first(),
        used=set(),
        made={},
    )
    reachable = _reachable_units(plan)
    everywhere = list(Territory.objects.elected_units().filter(voters__gt=0).order_by("kato"))
    plan.rng.shuffle(everywhere)
    district = [u for u in everywhere if u.kato.startswith(DEMO_UNIT_KATO[:4]) and u.kato != DEMO_UNIT_KATO]
    region = [u for u in everywhere if u.kato.startswith(DEMO_UNIT_KATO[:2]) and u.kato != DEMO_UNIT_KATO]

    _try(plan, "collecting (demo unit)", [demo_unit], lambda unit: _demo_unit(plan, unit))
    _try(plan, "filed (demo district)", district, lambda unit: _filed_in_district(plan, unit))
    _try(plan, "recalled", reachable, lambda unit: _full(plan, unit, filed_ago=95, stop=State.RECALLED))
    _try(
        plan,
        "vote scheduled",
        reachable,
        lambda unit: _full(plan, unit, filed_ago=60, stop=State.VOTE_SCHEDULED),
    )
    _try(
        plan,
        "not recalled",
        reachable,
        lambda unit: _full(plan, unit, filed_ago=110, stop=State.NOT_RECALLED),
    )
    _try(
        plan,
        "verification",
        everywhere,
        lambda unit: _full(plan, unit, filed_ago=40, stop=State.VERIFICATION),
    )
    _try(plan, "closed and refused", everywhere, lambda unit: _closed_then_refused(plan, unit))
    _try(plan, "party withdrawal", region, lambda unit: _withdrawal(plan, unit, register=True))
    _try(plan, "party withdrawal filed", district, lambda unit: _withdrawal(plan, unit, register=False))
    counts = selectors.counts_by_state()
    out.write(
        "recall demo: "
        + ", ".join(f"{state} {count}" for state, count in sorted(counts.items()))
        + f"; party withdrawals {plan.made.get('party withdrawal', 0)} registered, "
        + f"{plan.made.get('party withdrawal filed', 0)} filed\n"
    )
