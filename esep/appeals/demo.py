"""`esep demo` step: a year of residents' requests across every unit (205,000), seeded.

The bulk loader keeps the services' invariants by construction: registration numbers from the same counter,
deadlines from the same calendar (cached per date), forwards within 3 working days, one extension of at most
two months, the counters recounted at the end (stats_rebuild). It writes one audit event per batch. The demo
accounts' unit also gets requests made through the real services, so every page has something to show.
"""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from types import SimpleNamespace
from typing import TextIO
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from esep.appeals import deadlines, services, stats
from esep.appeals.bulk import insert_rows
from esep.appeals.models import (
    Appeal,
    AppealEvent,
    Body,
    Category,
    EventKind,
    Source,
    Status,
    Verdict,
)
from esep.appeals.routing import default_body_name
from esep.core.audit.chain import audit_record
from esep.core.workdays import add_working_days, is_working_day
from esep.demo.accounts import DEMO_UNIT_KATO, ensure_demo_accounts
from esep.territory.models import Territory

SEED = 2026
ALMATY = ZoneInfo("Asia/Almaty")
TARGET = 205_000
BATCH = 20_000

# code: (weight, share forwarded, body forwarded to)
PROFILE: dict[str, tuple[int, float, str]] = {
    "roads": (16, 0.07, Body.DISTRICT),
    "water": (12, 0.12, Body.DISTRICT),
    "lighting": (8, 0.03, Body.DISTRICT),
    "waste": (9, 0.04, Body.DISTRICT),
    "landscaping": (6, 0.05, Body.DISTRICT),
    "land": (9, 0.55, Body.DISTRICT),
    "housing": (6, 0.62, Body.DISTRICT),
    "social": (8, 0.15, Body.DISTRICT),
    "transport": (4, 0.78, Body.DISTRICT),
    "animals": (5, 0.10, Body.DISTRICT),
    "public_order": (4, 0.86, Body.POLICE),
    "tariffs": (3, 0.91, Body.OTHER),
    "schools": (3, 0.72, Body.DISTRICT),
    "health": (3, 0.81, Body.REGION),
    "records": (7, 0.01, Body.DISTRICT),
    "cemeteries": (2, 0.02, Body.DISTRICT),
    "pastures": (4, 0.12, Body.DISTRICT),
}

STREETS = ["Абая", "Школьная", "Центральная", "Наурыз", "Достык", "Жибек жолы", "Мира", "Садовая", "Байтерек"]
TEXTS: dict[str, list[str]] = {
    "roads": [
        "На улице {street} после дождей большие ямы, машины не проезжают. Просим выровнять дорогу.",
        "Көше {street} бойынша жол бұзылған, қар тазаланбаған. Көмектесуіңізді сұраймыз.",
        "Просим провести грейдирование улицы {street} у дома {house}.",
    ],
    "water": [
        "На улице {street} третью неделю нет воды в колонке. Просим починить.",
        "Скважина у дома {house} по улице {street} не работает, вода мутная.",
    ],
    "lighting": [
        "На улице {street} не горят фонари, вечером темно и опасно для детей.",
        "Көше {street} бойынша шамдар жанбайды.",
    ],
    "waste": [
        "Мусор по улице {street} не вывозят больше месяца, образовалась свалка.",
        "У моста за улицей {street} стихийная свалка, просим убрать.",
    ],
    "landscaping": [
        "Просим установить детскую площадку у дома {house} по улице {street}.",
        "Сломаны скамейки и ограждение в сквере на улице {street}.",
    ],
    "land": [
        "Прошу разъяснить, как получить земельный участок под ИЖС в нашем селе.",
        "Сосед занял часть моего участка по улице {street}, {house}. Прошу проверить границы.",
    ],
    "housing": [
        "Прошу поставить нашу семью в очередь на жильё, живём в аварийном доме по улице {street}.",
        "В доме {house} по улице {street} протекает крыша, дом коммунальный.",
    ],
    "social": [
        "Прошу помочь оформить адресную социальную помощь, семья из шести человек.",
        "Пожилой сосед по улице {street} живёт один, нужна помощь соцработника.",
    ],
    "transport": [
        "Отменили автобус до районного центра, просим восстановить рейс.",
        "Автобус ходит раз в день, просим добавить утренний рейс.",
    ],
    "animals": [
        "По улице {street} бегает стая бездомных собак, дети боятся ходить в школу.",
    ],
    "public_order": [
        "У магазина на улице {street} по ночам шумят и распивают спиртное.",
        "Участились кражи скота, просим принять меры.",
    ],
    "tariffs": [
        "Почему выросли тарифы на электроэнергию? Счёт вырос в два раза.",
        "Прошу проверить начисления за газ по улице {street}, {house}.",
    ],
    "schools": [
        "Школьный автобус не приезжает за детьми с улицы {street}.",
        "Нет мест в детском саду, очередь не движется.",
    ],
    "health": [
        "В медпункте нет фельдшера уже два месяца.",
        "Скорая помощь едет больше часа, просим решить вопрос.",
    ],
    "records": [
        "Прошу выдать справку о составе семьи.",
        "Нужна выписка из похозяйственной книги для банка.",
    ],
    "cemeteries": ["Просим отремонтировать ограждение кладбища."],
    "pastures": [
        "Просим выделить пастбище для скота жителей улицы {street}.",
        "Когда будет вакцинация скота в этом году?",
    ],
}
ANSWERS = [
    "Ваше обращение рассмотрено. Работы включены в план и будут выполнены до конца месяца.",
    "Выезд на место проведён, нарушение устранено. Спасибо за обращение.",
    "Сообщаем, что вопрос решён: подрядчик выполнил работы.",
    "Разъясняем порядок: необходимо подать заявление через ЦОН; акимат окажет содействие.",
    "Өтінішіңіз қаралды, жұмыстар орындалды.",
]
EXTENSION_REASONS = [
    "Требуется выезд комиссии и заключение районного отдела.",
    "Ожидается ответ районного отдела строительства на запрос акимата.",
]


class _Calendar:
    """add_working_days and the legal limits, cached per registration date (a year has 365 of them)."""

    def __init__(self) -> None:
        self._answer: dict[date, date] = {}
        self._forward: dict[date, date] = {}
        self._working: dict[tuple[date, int], date] = {}

    def answer(self, day: date) -> date:
        if day not in self._answer:
            self._answer[day] = add_working_days(day, deadlines.ANSWER_WORKING_DAYS)
        return self._answer[day]

    def forward(self, day: date) -> date:
        if day not in self._forward:
            self._forward[day] = add_working_days(day, deadlines.FORWARD_WORKING_DAYS)
        return self._forward[day]

    def plus(self, day: date, days: int) -> date:
        key = (day, days)
        if key not in self._working:
            self._working[key] = add_working_days(day, days)
        return self._working[key]


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(9, 17), rng.randint(0, 59)), tzinfo=ALMATY)


def _text(code: str, rng: random.Random) -> str:
    template = rng.choice(TEXTS.get(code) or ["Прошу рассмотреть мой вопрос."])
    return template.format(street=rng.choice(STREETS), house=rng.randint(1, 120))


def run(*, out: TextIO) -> None:
    if Appeal.private_objects.filter(source=Source.DEMO).exists():
        out.write("appeals demo: already loaded\n")
        return
    started = timezone.now()
    services.categories_load()
    ensure_demo_accounts()
    count = _bulk_load(now=started)
    _demo_unit_requests(now=started)
    rows, buckets = stats.stats_rebuild()
    seconds = (timezone.now() - started).total_seconds()
    out.write(
        f"appeals demo: {count} requests, {rows} counter rows, {buckets} histogram rows in {seconds:.0f}s\n"
    )


APPEAL_COLUMNS = [field.attname for field in Appeal._meta.concrete_fields if not field.primary_key]
EVENT_COLUMNS = ["appeal_id", "at", "actor_id", "actor_label", "kind", "note"]
# What a column holds until the request's fate sets it: NULL where allowed, else "" or False.
BLANK = {
    field.attname: None if field.null else (False if field.get_internal_type() == "BooleanField" else "")
    for field in Appeal._meta.concrete_fields
    if not field.primary_key
}


def _bulk_load(*, now: datetime) -> int:
    rng = random.Random(SEED)  # noqa: S311 (seeded demo data)
    categories = {c.code: c for c in Category.objects.filter(code__in=list(PROFILE))}
    codes = [code for code in PROFILE if code in categories]
    units = list(Territory.objects.elected_units().order_by("kato").values_list("pk", "kato", "population"))
    staff_id = get_user_model().objects.filter(username="demo.staff").values_list("pk", flat=True).first()
    today = timezone.localdate(now)
    calendar = _Calendar()

    # Cumulative weights once: `choices` would otherwise sum 2,321 weights for every request.
    chosen_units = rng.choices(units, cum_weights=list(accumulate(p or 1 for _pk, _k, p in units)), k=TARGET)
    chosen_codes = rng.choices(codes, cum_weights=list(accumulate(PROFILE[c][0] for c in codes)), k=TARGET)
    plans = []
    for unit, code in zip(chosen_units, chosen_codes, strict=True):
        day = today - timedelta(days=rng.randint(0, 364))
        if day.weekday() >= 5 and rng.random() < 0.75:
            day -= timedelta(days=day.weekday() - 4)  # most weekend requests arrive on Friday
        plans.append((min(_at(day, rng), now - timedelta(minutes=5)), unit, code))
    plans.sort(key=lambda plan: plan[0])

    per_year = Counter(plan[0].astimezone(ALMATY).year for plan in plans)
    created = 0
    with transaction.atomic():
        next_number = {year: services._reserve_numbers(year, n) for year, n in sorted(per_year.items())}
    for start in range(0, len(plans), BATCH):
        with transaction.atomic():
            created += _write_batch(
                plans[start : start + BATCH], categories, next_number, calendar, rng, now, today, staff_id
            )
    return created


def _write_batch(plans, categories, next_number, calendar, rng, now, today, staff_id) -> int:  # noqa: ANN001
    rows = []
    events: dict[str, list[tuple]] = {}
    for registered_at, (unit_pk, kato, _population), code in plans:
        registered_on = registered_at.astimezone(ALMATY).date()
        year = registered_on.year
        number = services.format_number(year, next_number[year])
        next_number[year] += 1
        _weight, forward_share, forward_body = PROFILE[code]
        appeal = SimpleNamespace(**BLANK)
        appeal.number = number
        appeal.unit_id = unit_pk
        appeal.kato = kato
        appeal.category_id = categories[code].pk
        appeal.text = _text(code, rng)
        appeal.publish_text = rng.random() < 0.9
        appeal.source = Source.DEMO
        appeal.status = Status.REGISTERED
        appeal.registered_at = registered_at
        appeal.updated_at = registered_at
        appeal.deadline = calendar.answer(registered_on)
        history = [(EventKind.REGISTERED, registered_at, number)]
        if rng.random() < forward_share:
            forwarded_on = calendar.plus(registered_on, rng.randint(1, deadlines.FORWARD_WORKING_DAYS))
            if forwarded_on <= today:
                appeal.status = Status.FORWARDED
                appeal.forwarded_to = forward_body
                appeal.forwarded_body = _body_name(forward_body, kato, categories[code])
                appeal.forwarded_at = appeal.updated_at = min(_at(forwarded_on, rng), now)
                history.append((EventKind.FORWARDED, appeal.forwarded_at, appeal.forwarded_body))
        if appeal.status != Status.FORWARDED:
            _answer_fate(appeal, history, registered_on, calendar, rng, now, today)
        if appeal.status in (Status.REGISTERED, Status.IN_PROGRESS) and kato == DEMO_UNIT_KATO and staff_id:
            appeal.assigned_to_id = staff_id if rng.random() < 0.5 else None
        rows.append(tuple(getattr(appeal, column) for column in APPEAL_COLUMNS))
        events[number] = history
    insert_rows(Appeal, APPEAL_COLUMNS, rows)
    ids = dict(
        Appeal.private_objects.filter(number__gte=rows[0][0], number__lte=rows[-1][0], source=Source.DEMO)
        .filter(number__in=list(events))
        .values_list("number", "pk")
    )
    insert_rows(
        AppealEvent,
        EVENT_COLUMNS,
        (
            (ids[number], at, None, "demo", kind, note)
            for number, history in events.items()
            for kind, at, note in history
        ),
    )
    audit_record(
        actor=None,
        action="appeals.demo_load",
        data={"count": len(rows), "first": rows[0][0], "last": rows[-1][0]},
    )
    return len(rows)


def _answer_fate(appeal, history, registered_on, calendar, rng, now, today) -> None:  # noqa: ANN001
    """Extension, answer (on time or late), verdict, or still open (perhaps overdue and escalated)."""
    if rng.random() < 0.04:
        limit = deadlines.add_months(registered_on, deadlines.EXTENSION_MONTHS)
        extended_on = calendar.plus(registered_on, rng.randint(5, 12))
        if extended_on <= today and extended_on <= appeal.deadline:
            appeal.extended_deadline = min(appeal.deadline + timedelta(days=rng.randint(10, 30)), limit)
            appeal.extension_reason = rng.choice(EXTENSION_REASONS)
            appeal.extended_at = min(_at(extended_on, rng), now)
            history.append((EventKind.EXTENDED, appeal.extended_at, appeal.extension_reason))
    roll = rng.random()
    if roll < 0.86:
        delay = rng.randint(1, 14) if appeal.extended_deadline is None else rng.randint(10, 30)
    elif roll < 0.96:
        delay = rng.randint(16, 35)
    else:
        delay = None  # never answered
    due = appeal.extended_deadline or appeal.deadline
    answered_on = calendar.plus(registered_on, delay) if delay is not None else None
    if answered_on is not None and answered_on <= today:
        answered_at = max(min(_at(answered_on, rng), now), appeal.registered_at)
        appeal.status = Status.ANSWERED
        appeal.answer = rng.choice(ANSWERS)
        appeal.answered_at = appeal.updated_at = answered_at
        appeal.missed = answered_on > due
        if appeal.missed:
            escalated_at = _at(due + timedelta(days=1), rng)
            if escalated_at < answered_at:
                appeal.escalated_at = escalated_at
                history.append((EventKind.ESCALATED, escalated_at, ""))
        history.append((EventKind.ANSWERED, answered_at, ""))
        if answered_on + timedelta(days=7) < today and rng.random() < 0.6:
            appeal.status = Status.CLOSED
            appeal.verdict = Verdict.CONFIRMED if rng.random() < 0.85 else Verdict.DISPUTED
            appeal.closed_at = appeal.updated_at = min(answered_at + timedelta(days=rng.randint(1, 7)), now)
            history.append((EventKind.CLOSED, appeal.closed_at, str(Verdict(appeal.verdict).label)))
        return
    if (today - registered_on).days > 2 and rng.random() < 0.7:
        appeal.status = Status.IN_PROGRESS
    if due < today:
        appeal.missed = True
        # Escalated already, except in the demo unit, which `esep tick` is left to escalate.
        if appeal.kato != DEMO_UNIT_KATO:
            appeal.escalated_at = appeal.updated_at = min(_at(due + timedelta(days=1), rng), now)
            history.append((EventKind.ESCALATED, appeal.escalated_at, ""))


_BODY_NAMES: dict[tuple[str, str], str] = {}


def _body_name(body: str, kato: str, category: Category) -> str:
    key = (body, kato[:4] if body != Body.OTHER else category.code)
    if key not in _BODY_NAMES:
        unit = Territory(kato=kato)
        _BODY_NAMES[key] = default_body_name(body, unit, category)
    return _BODY_NAMES[key]


def _demo_unit_requests(*, now: datetime) -> None:
    """Requests of the demo resident in the demo unit, made through the real services at past dates."""
    users = get_user_model().objects
    resident = users.filter(username="demo.resident").first()
    staff = users.filter(username="demo.staff").first()
    unit = Territory.objects.filter(kato=DEMO_UNIT_KATO).first()
    if resident is None or staff is None or unit is None:
        return
    categories = {c.code: c for c in Category.objects.all()}
    today = timezone.localdate(now)

    def registered(working_days_ago: int) -> datetime:
        day = today
        for _step in range(working_days_ago):
            day -= timedelta(days=1)
            while not is_working_day(day):
                day -= timedelta(days=1)
        return timezone.make_aware(datetime.combine(day, time(10, 30)))

    def register(code: str, text: str, days_ago: int) -> Appeal:
        return services.appeal_register(
            unit=unit,
            category=categories[code],
            text=text,
            resident=resident,
            address="ул. Абая, 12",
            now=registered(days_ago),
        )

    closed = register("lighting", "На улице Абая не горят три фонаря у школы.", 30)
    services.appeal_answer(actor=staff, appeal=closed, answer="Лампы заменены 12 числа.", now=registered(24))
    services.appeal_close(actor=resident, appeal=closed, verdict=Verdict.CONFIRMED, note="Спасибо!", now=now)
    answered = register("waste", "Мусор на улице Абая не вывозят три недели.", 12)
    services.appeal_answer(
        actor=staff,
        appeal=answered,
        answer="График вывоза восстановлен: по вторникам и пятницам.",
        now=registered(8),
    )
    extended = register("roads", "Улица Абая размыта, нужен ремонт дороги и водоотвод.", 10)
    services.appeal_start(actor=staff, appeal=extended)
    services.appeal_extend(
        actor=staff,
        appeal=extended,
        new_deadline=deadlines.add_months(timezone.localdate(extended.registered_at), 2),
        reason="Нужна смета районного отдела ЖКХ и выезд комиссии.",
        now=registered(6),
    )
    working = register(
        "social", "Прошу помочь оформить адресную социальную помощь, семья из пяти человек.", 4
    )
    services.appeal_start(actor=staff, appeal=working)
    register("public_order", "У магазина на улице Абая по ночам шумят и распивают спиртное.", 1)
    register("water", "В колонке на улице Абая нет воды вторую неделю.", 17)
    register("landscaping", "Просим починить качели на детской площадке у школы.", 14)
    register("animals", "Возле школы бегает стая бездомных собак.", 13)
