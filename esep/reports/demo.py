"""`esep demo` step of the reports app: every sitting akim's past reports, seeded and idempotent.

For each sitting akim, each binding period whose due date has passed gets a published report (most on time,
some late), except that about one unit in twelve has not published its latest one and is overdue now. Each
report has its meeting, a summary, the budget execution of the period (revenues from the unit's forecast by
source, expenses by item), and one update per promise that was active when it was published: the promise's
state at that moment, read from its timeline. An update whose promise changed during the period is that
change's timeline entry; otherwise it is "no change" with a reason, written to the timeline as such. Four
demo residents per unit rate the reports, agree or disagree with some updates and ask questions, most of
them answered. Open promises past their deadline get their "overdue" entry, dated the day after it.

The bulk path keeps the services' invariants by construction (one report per period, every active promise
updated, counters equal to the rows they count, days late from the due date) and writes one audit event
per batch. The demo accounts' unit (KATO 103230000) also gets, through the real services, a draft of the
current period's report with one update missing, a question waiting for the akim's answer and a question
hidden by the district supervisor.
"""

import io
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from esep.core.audit.chain import audit_record
from esep.core.models import Role, RoleAssignment
from esep.elections.models import Candidacy, Mandate
from esep.programs.models import (
    OPEN_PROMISE_STATUSES,
    BudgetSource,
    EventKind,
    LocalBudget,
    Program,
    Promise,
    PromiseEvent,
)
from esep.programs.selectors import tracked_promises
from esep.reports import services
from esep.reports.models import (
    BudgetLine,
    Evidence,
    ExpenseItem,
    Question,
    Rating,
    Report,
    ReportStatus,
    ReportUpdate,
    UpdateVerdict,
)
from esep.reports.services import report_stats_refresh
from esep.reports.stats import mandate_schedule, rule_periods, stale_unit_ids, stats_rebuild
from esep.territory.summaries import stale_rows_rebuild

SEED = "esep-reports-2026"
ALMATY = ZoneInfo("Asia/Almaty")
DEMO_UNIT_KATO = "103230000"  # esep.demo.accounts.DEMO_UNIT_KATO (not imported: demo sits above the apps)
RESIDENTS_PER_UNIT = 4
OVERDUE_SHARE = 0.08
LATE_SHARE = 0.15
BATCH_UNITS = 500

PLACES = ["Дом культуры", "Сельский клуб", "Актовый зал школы", "Здание акимата", "Спортзал школы"]
SUMMARIES = [
    "За полугодие отремонтированы улицы, заменены светильники, проведены сходы жителей. Главные трудности: "
    "рост цен на материалы и задержка трансферта из районного бюджета.",
    "Аким рассказал о выполнении программы: что сделано, что перенесено и почему. Жители задали вопросы о "
    "дорогах, воде и вывозе мусора.",
    "Бюджет исполнен по доходам почти полностью. Основные расходы: освещение, содержание дорог, "
    "благоустройство. На следующее полугодие запланированы ремонт клуба и площадки.",
]
NO_CHANGE_REASONS = [
    "Работы запланированы на следующий сезон, средства предусмотрены в бюджете.",
    "Ожидаем трансферт из районного бюджета, конкурс будет объявлен после его поступления.",
    "Проектно-сметная документация на экспертизе, изменений за период нет.",
    "Подрядчик определён, выход на объект после окончания отопительного сезона.",
]
QUESTIONS = [
    "Когда отремонтируют дорогу на нашей улице? Обещали ещё весной.",
    "Почему фонари горят не на всех улицах?",
    "Будет ли вывоз мусора чаще, чем раз в неделю?",
    "Сколько денег потрачено на детскую площадку и кто подрядчик?",
    "Когда дадут воду в верхнюю часть села?",
]
ANSWERS = [
    "Работы включены в план на следующий сезон, подрядчик определён по итогам конкурса.",
    "Часть светильников заменена, остальные будут заменены до конца года.",
    "С нового месяца график вывоза — два раза в неделю.",
    "Смета и акт приёмки размещены на странице акимата; подрядчик выбран на портале госзакупок.",
]
RESIDENT_NAMES = ["Айгерим", "Нурлан", "Сауле", "Бахыт", "Гульмира", "Ерлан", "Динара", "Самат"]
EXPENSE_SHARES = {
    ExpenseItem.ADMINISTRATION: 0.24,
    ExpenseItem.ROADS: 0.22,
    ExpenseItem.LIGHTING: 0.12,
    ExpenseItem.WATER: 0.1,
    ExpenseItem.SANITATION: 0.08,
    ExpenseItem.LANDSCAPING: 0.1,
    ExpenseItem.CULTURE_SPORT: 0.08,
    ExpenseItem.SOCIAL: 0.06,
}


def _at(day: date, rng: random.Random, hour: tuple[int, int] = (10, 17)) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(*hour), rng.randint(0, 59), tzinfo=ALMATY)


@dataclass(frozen=True)
class _Event:
    pk: int
    at: datetime
    kind: str
    new_status: str
    progress: int
    spent_kzt: int | None
    narrative: str


@dataclass
class _State:
    status: str = "not_rated"
    progress: int = 0


@dataclass
class _Batch:
    reports: list[Report] = field(default_factory=list)
    lines: list[BudgetLine] = field(default_factory=list)
    pending_updates: list[tuple[Report, dict]] = field(default_factory=list)
    events: list[PromiseEvent] = field(default_factory=list)
    ratings: list[tuple[Report, int, int, datetime]] = field(default_factory=list)
    verdicts: list[tuple[int, dict, int, str, datetime]] = field(default_factory=list)
    questions: list[tuple[Report, dict]] = field(default_factory=list)


# --- Demo residents --------------------------------------------------------------------------------------


@transaction.atomic
def ensure_residents(units: list) -> dict[int, list[int]]:
    """Four resident accounts per unit (no password: they cannot log in), made once; returns their ids."""
    users = get_user_model().objects
    wanted = {
        f"resident.{unit.kato}.{n}": (unit, n) for unit in units for n in range(1, RESIDENTS_PER_UNIT + 1)
    }
    existing = dict(users.filter(username__in=list(wanted)).values_list("username", "pk"))
    missing = [name for name in wanted if name not in existing]
    if missing:
        unusable = make_password(None)
        created = users.bulk_create(
            [
                get_user_model()(
                    username=name,
                    first_name=RESIDENT_NAMES[(int(wanted[name][0].kato[4:6]) + wanted[name][1]) % 8],
                    password=unusable,
                    date_joined=timezone.now(),
                )
                for name in missing
            ],
            batch_size=2000,
        )
        ids = dict(users.filter(username__in=missing).values_list("username", "pk"))
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(user_id=ids[name], role=Role.RESIDENT, territory=wanted[name][0])
                for name in missing
            ],
            batch_size=2000,
        )
        existing.update(ids)
        audit_record(
            actor=None,
            action="reports.demo_residents",
            data={"created": len(created), "units": len({wanted[name][0].pk for name in missing})},
        )
    by_unit: dict[int, list[int]] = defaultdict(list)
    for name, (unit, _n) in wanted.items():
        by_unit[unit.pk].append(existing[name])
    return by_unit


# --- The past reports of a batch of mandates ---------------------------------------------------------------


class _Planner:
    def __init__(self, mandates: list[Mandate], *, today: date, residents: dict[int, list[int]]) -> None:
        self.today, self.residents = today, residents
        self.mandates = mandates
        self.rules = rule_periods()
        candidacies = {
            (c.election_id, c.person_id): c.pk
            for c in Candidacy.objects.filter(election_id__in=[m.election_id for m in mandates])
        }
        self.candidacy = {m.pk: candidacies.get((m.election_id, m.person_id)) for m in mandates}
        programs = {
            p.candidacy_id: p
            for p in Program.objects.filter(
                candidacy_id__in=[c for c in self.candidacy.values() if c], status="published"
            )
        }
        self.program = {m.pk: programs.get(self.candidacy[m.pk]) for m in mandates}
        self.promises: dict[int, list[Promise]] = defaultdict(list)
        for promise in Promise.objects.filter(
            program_id__in=[p.pk for p in programs.values()], removed_in__isnull=True
        ).order_by("order", "pk"):
            self.promises[promise.program_id].append(promise)
        self.events: dict[tuple[int, str], list[_Event]] = defaultdict(list)
        rows = (
            PromiseEvent.objects.filter(promise__program__candidacy_id__in=list(programs))
            .order_by("at", "pk")
            .values_list(
                "pk",
                "promise__program__candidacy_id",
                "promise__local_id",
                "at",
                "kind",
                "new_status",
                "progress",
                "spent_kzt",
                "narrative",
            )
        )
        for pk, candidacy_id, local_id, *values in rows:
            self.events[(candidacy_id, local_id)].append(_Event(pk, *values))
        self.forecast: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
        for unit_id, year, source, amount in LocalBudget.objects.filter(
            unit_id__in=[m.rural_unit_id for m in mandates]
        ).values_list("unit_id", "year", "source", "amount_kzt"):
            self.forecast[(unit_id, year)][source] = amount

    def state_at(
        self, program: Program, promise: Promise, moment: datetime
    ) -> tuple[_State, list[PromiseEvent]]:
        state = _State()
        seen = []
        for event in self.events.get((program.candidacy_id, promise.local_id), []):
            if event.at > moment:
                break
            state = _State(event.new_status, event.progress)
            seen.append(event)
        return state, seen

    def plan(self, batch: _Batch) -> None:
        for mandate in self.mandates:
            unit = mandate.rural_unit
            rng = random.Random(f"{SEED}-{unit.kato}")  # noqa: S311 (demo data, not security)
            past = [p for p in mandate_schedule(mandate, self.rules) if p.due_on < self.today]
            if not past:
                continue
            if unit.kato != DEMO_UNIT_KATO and rng.random() < OVERDUE_SHARE:
                past = past[:-1]  # the latest report was never published: overdue now
            previous: datetime | None = None
            for period in past:
                if rng.random() < LATE_SHARE and unit.kato != DEMO_UNIT_KATO:
                    day = period.due_on + timedelta(days=rng.randint(1, 40))
                else:
                    day = period.due_on - timedelta(days=rng.randint(0, 20))
                day = max(min(day, self.today - timedelta(days=1)), period.starts_on + timedelta(days=1))
                published_at = _at(day, rng)
                if previous is not None and published_at <= previous:
                    published_at = previous + timedelta(hours=2)
                self.report(batch, mandate, period, published_at, previous, rng)
                previous = published_at

    def report(self, batch: _Batch, mandate: Mandate, period, published_at: datetime, previous, rng) -> None:
        unit = mandate.rural_unit
        day = published_at.astimezone(ALMATY).date()
        meeting = max(day - timedelta(days=rng.randint(0, 3)), period.starts_on)
        report = Report(
            mandate=mandate,
            rural_unit=unit,
            sequence=period.sequence,
            period_start=period.starts_on,
            due_on=period.due_on,
            status=ReportStatus.PUBLISHED,
            meeting_on=meeting,
            meeting_place=f"{rng.choice(PLACES)}, {unit.name_ru}",
            broadcast_url=f"https://www.instagram.com/akimat_{unit.kato}/" if rng.random() < 0.4 else "",
            attendance=rng.randint(25, 180),
            summary=rng.choice(SUMMARIES),
            published_at=published_at,
            days_late=max((day - period.due_on).days, 0),
            created_at=published_at - timedelta(days=rng.randint(3, 15)),
            updated_at=published_at,
        )
        batch.reports.append(report)
        self.budget(batch, report, rng)
        program = self.program.get(mandate.pk)
        if program is None or program.published_at is None or program.published_at > published_at:
            return
        residents = self.residents.get(unit.pk, [])
        for promise in self.promises.get(program.pk, []):
            state, seen = self.state_at(program, promise, published_at)
            if state.status not in OPEN_PROMISE_STATUSES:
                continue
            in_period = [event for event in seen if previous is None or event.at > previous]
            before = self.state_at(program, promise, previous)[0] if previous is not None else _State()
            if in_period and in_period[-1].kind == EventKind.UPDATE:
                last = in_period[-1]
                values = {
                    "promise": promise,
                    "no_change": False,
                    "status": last.new_status,
                    "progress": last.progress,
                    "spent_kzt": last.spent_kzt,
                    "narrative": last.narrative,
                    "status_before": before.status,
                    "event_id": last.pk,
                }
            else:
                values = {
                    "promise": promise,
                    "no_change": True,
                    "narrative": rng.choice(NO_CHANGE_REASONS),
                    "status_before": state.status,
                    "new_event": PromiseEvent(
                        promise=promise,
                        at=published_at,
                        kind=EventKind.NO_CHANGE,
                        old_status=state.status,
                        new_status=state.status,
                        progress=state.progress,
                        narrative="",
                        evidence_note="",
                        source="",
                    ),
                }
            values["verdicts"] = [
                (user_id, "disagree" if rng.random() < 0.3 else "agree")
                for user_id in rng.sample(residents, k=min(len(residents), rng.choice([0, 0, 0, 1, 2])))
            ]
            batch.pending_updates.append((report, values))
        for user_id in rng.sample(residents, k=min(len(residents), rng.randint(1, 4))):
            stars = rng.choices([1, 2, 3, 4, 5], [1, 2, 4, 5, 3] if report.days_late else [1, 1, 3, 6, 5])[0]
            batch.ratings.append((report, user_id, stars, published_at + timedelta(days=rng.randint(1, 20))))
        if residents and rng.random() < 0.35:
            asked = published_at + timedelta(days=rng.randint(1, 10))
            answered = asked + timedelta(days=rng.randint(1, 7)) if rng.random() < 0.75 else None
            batch.questions.append(
                (
                    report,
                    {
                        "author_id": rng.choice(residents),
                        "text": rng.choice(QUESTIONS),
                        "asked_at": min(asked, timezone.now()),
                        "answer": rng.choice(ANSWERS) if answered and answered < timezone.now() else "",
                        "answered_at": answered if answered and answered < timezone.now() else None,
                    },
                )
            )

    def budget(self, batch: _Batch, report: Report, rng: random.Random) -> None:
        forecast = self.forecast.get((report.rural_unit_id, report.due_on.year)) or self.forecast.get(
            (report.rural_unit_id, report.period_start.year), {}
        )
        if not forecast:
            forecast = {BudgetSource.INCOME_TAX: 20_000_000, BudgetSource.DISTRICT_TRANSFERS: 60_000_000}
        planned_total = 0
        largest = sorted(forecast.items(), key=lambda item: (-item[1], item[0]))[:5]
        for order, (source, yearly) in enumerate(sorted(largest)):
            planned = yearly // 2 // 1000 * 1000
            planned_total += planned
            batch.lines.append(
                BudgetLine(
                    report=report,
                    kind="revenue",
                    item=source,
                    planned_kzt=planned,
                    actual_kzt=int(planned * rng.uniform(0.82, 1.06)) // 1000 * 1000,
                    order=order,
                )
            )
        for order, (item, share) in enumerate(EXPENSE_SHARES.items()):
            planned = int(planned_total * share) // 1000 * 1000
            batch.lines.append(
                BudgetLine(
                    report=report,
                    kind="expense",
                    item=item,
                    planned_kzt=planned,
                    actual_kzt=int(planned * rng.uniform(0.7, 1.0)) // 1000 * 1000,
                    order=order,
                )
            )


@transaction.atomic
def _write(batch: _Batch, *, label: str) -> dict[str, int]:
    """Insert a planned batch: reports first (their ids name the timeline entries), then the rest."""
    Report.private_objects.bulk_create(batch.reports, batch_size=1000)
    BudgetLine.objects.bulk_create(batch.lines, batch_size=2000)
    new_events = []
    for report, values in batch.pending_updates:
        event = values.get("new_event")
        if event is not None:
            event.narrative = values["narrative"]
            event.source = f"report:{report.pk}"
            event.evidence_note = f"Отчёт акима № {report.sequence}, /reports/{report.pk}/"
            new_events.append(event)
    PromiseEvent.objects.bulk_create(new_events, batch_size=2000)
    updates = []
    for report, values in batch.pending_updates:
        updates.append(
            ReportUpdate(
                report=report,
                promise=values["promise"],
                no_change=values["no_change"],
                status=values.get("status", ""),
                progress=values.get("progress"),
                spent_kzt=values.get("spent_kzt"),
                narrative=values["narrative"],
                status_before=values["status_before"],
                event_id=values.get("event_id") or values["new_event"].pk,
                agree_count=sum(verdict == "agree" for _user, verdict in values["verdicts"]),
                disagree_count=sum(verdict == "disagree" for _user, verdict in values["verdicts"]),
                updated_at=report.published_at,
            )
        )
    ReportUpdate.objects.bulk_create(updates, batch_size=2000)
    verdicts = [
        UpdateVerdict(update=update, user_id=user_id, verdict=verdict, at=update.report.published_at)
        for update, (_report, values) in zip(updates, batch.pending_updates, strict=True)
        for user_id, verdict in values["verdicts"]
    ]
    UpdateVerdict.private_objects.bulk_create(verdicts, batch_size=2000)
    ratings = [
        Rating(report=report, user_id=user_id, stars=stars, created_at=at, updated_at=at)
        for report, user_id, stars, at in batch.ratings
    ]
    Rating.private_objects.bulk_create(ratings, batch_size=2000)
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for rating in ratings:
        totals[rating.report.pk][0] += 1
        totals[rating.report.pk][1] += rating.stars
    for report in batch.reports:
        report.rating_count, report.rating_sum = totals[report.pk]
    Report.private_objects.bulk_update(batch.reports, ["rating_count", "rating_sum"], batch_size=1000)
    questions = [Question(report=report, **values) for report, values in batch.questions]
    Question.moderation_objects.bulk_create(questions, batch_size=2000)
    counts = {
        "reports": len(batch.reports),
        "budget_lines": len(batch.lines),
        "updates": len(updates),
        "timeline_entries": len(new_events),
        "ratings": len(ratings),
        "verdicts": len(verdicts),
        "questions": len(questions),
    }
    audit_record(actor=None, action="reports.demo_batch", data={"batch": label, **counts})
    return counts


@transaction.atomic
def mark_overdue_promises(*, today: date) -> int:
    """The "overdue" entry of every open promise of a sitting akim whose deadline has passed, dated the day
    after the deadline, unless it has one (what `esep tick` would have written on that day)."""
    candidates = list(
        tracked_promises(today=today)
        .filter(status__in=OPEN_PROMISE_STATUSES, removed_in__isnull=True, deadline__lt=today)
        .select_related("program")
        .order_by("pk")
    )
    marked = set(
        PromiseEvent.objects.filter(
            kind=EventKind.OVERDUE,
            promise__program__candidacy_id__in={p.program.candidacy_id for p in candidates},
        ).values_list("promise__program__candidacy_id", "promise__local_id")
    )
    events = [
        PromiseEvent(
            promise=promise,
            at=datetime.combine(promise.deadline + timedelta(days=1), datetime.min.time(), tzinfo=ALMATY)
            + timedelta(hours=6),
            kind=EventKind.OVERDUE,
            old_status=promise.status,
            new_status=promise.status,
            progress=promise.progress,
            narrative=f"Срок {promise.deadline.isoformat()} прошёл, обещание не выполнено: оно просрочено.",
            source="esep tick",
        )
        for promise in candidates
        if (promise.program.candidacy_id, promise.local_id) not in marked
    ]
    PromiseEvent.objects.bulk_create(events, batch_size=2000)
    if events:
        audit_record(actor=None, action="reports.demo_overdue_promises", data={"entries": len(events)})
    return len(events)


# --- The demo accounts' unit, through the real services -----------------------------------------------------


def _png(color: str) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), color).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


def demo_unit_extras(*, today: date) -> list[str]:
    """A photo on the last report, a question to answer, a hidden question, and the current period's draft
    with one update missing (for demo.akim to finish and publish)."""
    users = get_user_model().objects
    akim = users.filter(username="demo.akim").first()
    staff = users.filter(username="demo.staff").first()
    resident = users.filter(username="demo.resident").first()
    supervisor = users.filter(username="demo.supervisor").first()
    mandate = (
        Mandate.objects.current().filter(rural_unit__kato=DEMO_UNIT_KATO).select_related("rural_unit").first()
    )
    done = []
    if mandate is None:
        return done
    last = Report.public_objects.filter(mandate=mandate).order_by("-sequence").first()
    if last is not None:
        update = last.updates.filter(no_change=False).first() or last.updates.first()
        if update is not None and not update.evidence.exists():
            with transaction.atomic():
                for color in ("#4a7", "#c84"):
                    evidence = Evidence(
                        update=update,
                        kind="photo",
                        title="Фото с объекта",
                        content_type="image/png",
                        size=0,
                        width=640,
                        height=400,
                        uploaded_at=last.published_at,
                    )
                    evidence.file.save("evidence.png", _png(color), save=False)
                    evidence.size = evidence.file.size
                    evidence.save()
                audit_record(actor=None, action="reports.demo_evidence", subject=last, data={"photos": 2})
            done.append("photos")
        neighbours = list(
            users.filter(username__startswith=f"resident.{DEMO_UNIT_KATO}.").order_by("username")[:2]
        )
        if (
            neighbours
            and not Question.moderation_objects.filter(report=last, answered_at__isnull=True).exists()
        ):
            services.question_ask(
                report=last,
                user=neighbours[0],
                text="Когда начнут ремонт дороги к школе? На сходе обещали к осени.",
            )
            done.append("question")
        if (
            len(neighbours) > 1
            and supervisor is not None
            and not Question.moderation_objects.filter(report=last, hidden_at__isnull=False).exists()
        ):
            rude = services.question_ask(
                report=last,
                user=neighbours[1],
                text="Сосед с улицы Абая 5 опять ворует воду, вот его телефон…",
            )
            services.question_hide(question=rude, reason="личные данные третьего лица", actor=supervisor)
            done.append("hidden question")
    if resident is not None:
        services.subscription_set(user=resident, unit=mandate.rural_unit, subscribed=True)
    writer = staff or akim
    if (
        writer is not None
        and not Report.private_objects.filter(mandate=mandate, status=ReportStatus.DRAFT).exists()
    ):
        try:
            draft = services.report_start(mandate=mandate, actor=writer, today=today)
        except Exception:  # noqa: BLE001 (no period is open: the demo goes on without a draft)
            return done
        services.report_save_details(
            report=draft,
            meeting_on=None,
            meeting_place="Дом культуры",
            broadcast_url="",
            attendance=None,
            summary="Черновик: итоги полугодия готовит аппарат акима.",
            actor=writer,
        )
        services.report_save_budget(
            report=draft,
            lines=[
                services.BudgetLineInput("revenue", BudgetSource.INCOME_TAX, 9_000_000, 6_100_000),
                services.BudgetLineInput("revenue", BudgetSource.DISTRICT_TRANSFERS, 42_000_000, 30_000_000),
                services.BudgetLineInput("expense", ExpenseItem.ROADS, 14_000_000, 9_500_000),
                services.BudgetLineInput("expense", ExpenseItem.LIGHTING, 4_000_000, 3_900_000),
            ],
            actor=writer,
        )
        active = services.active_promises(services.commitments_program(mandate))
        for promise in active[:-1]:
            services.report_save_update(
                report=draft, promise=promise, no_change=True, narrative=NO_CHANGE_REASONS[0], actor=writer
            )
        done.append(f"draft with {max(len(active) - 1, 0)} of {len(active)} updates")
    return done


def run(*, out: TextIO) -> None:
    """Past reports for every sitting akim who has none yet (a second run finds none and does nothing)."""
    started = time.monotonic()
    today = timezone.localdate()
    with_reports = set(Report.private_objects.values_list("mandate_id", flat=True).distinct())
    mandates = [
        m
        for m in Mandate.objects.current().select_related("rural_unit").order_by("rural_unit__kato")
        if m.pk not in with_reports
    ]
    totals: dict[str, int] = defaultdict(int)
    if mandates:
        residents = ensure_residents([m.rural_unit for m in mandates])
        for start in range(0, len(mandates), BATCH_UNITS):
            chunk = mandates[start : start + BATCH_UNITS]
            batch = _Batch()
            _Planner(chunk, today=today, residents=residents).plan(batch)
            for name, value in _write(batch, label=chunk[0].rural_unit.kato).items():
                totals[name] += value
    overdue = mark_overdue_promises(today=today)
    extras = demo_unit_extras(today=today)
    with transaction.atomic():
        rebuilt = stats_rebuild(
            Mandate.objects.current().values_list("rural_unit_id", flat=True), today=today
        )
    if not totals["reports"] and not overdue and not extras:
        out.write("reports demo: already loaded\n")
        return
    out.write(
        f"reports demo: {totals['reports']} published reports with {totals['updates']} promise updates "
        f"({totals['timeline_entries']} 'no change' timeline entries), {totals['ratings']} ratings, "
        f"{totals['verdicts']} verdicts, {totals['questions']} questions; {overdue} promises marked overdue; "
        f"demo unit: {', '.join(extras) or 'nothing new'}; {rebuilt} summary rows "
        f"in {time.monotonic() - started:.1f} s\n"
    )


def run_summaries(*, out: TextIO) -> None:
    """A last step, after the recall demo (two mandates end): rebuild the units' report summaries it left
    stale, as the first `esep tick` would."""
    refreshed = stale_rows_rebuild(stale_unit_ids, report_stats_refresh, today=timezone.localdate())
    out.write(f"reports demo: {refreshed} stale summary rows rebuilt\n")
