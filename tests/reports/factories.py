"""Reports for tests, made through the real services.

mandate = akim_with_program(unit_a, due_in_days=10)        # a sitting akim whose first report is due soon
report = filled_report(mandate, actor=akim_user)           # a draft with meeting, budget, every update
report = published_report(mandate, actor=akim_user)        # the same, published
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from esep.elections.models import Mandate
from esep.programs.models import Program
from esep.reports import services
from esep.reports.models import Report
from esep.reports.schedule import add_months
from esep.reports.services import BudgetLineInput, active_promises, commitments_program
from esep.territory.models import Territory
from tests.elections.factories import make_sitting_akim
from tests.programs.factories import published_program

BUDGET = [
    BudgetLineInput(kind="revenue", item="income_tax", planned_kzt=12_000_000, actual_kzt=11_500_000),
    BudgetLineInput(kind="revenue", item="district_transfers", planned_kzt=40_000_000, actual_kzt=40_000_000),
    BudgetLineInput(kind="expense", item="roads", planned_kzt=20_000_000, actual_kzt=18_250_000),
    BudgetLineInput(kind="expense", item="lighting", planned_kzt=5_000_000, actual_kzt=4_100_000),
]


def starts_for_due_in(days: int, *, today: date | None = None, months: int = 6) -> date:
    """The mandate start that puts the first due date `days` from today (periods of `months`)."""
    today = today or timezone.localdate()
    return add_months(today + timedelta(days=days), -months)


def akim_with_program(
    unit: Territory,
    *,
    due_in_days: int = 10,
    promises: int = 3,
    starts_on: date | None = None,
    **program: object,
) -> Mandate:
    """A sitting akim of `unit` (reference data must exist) with a published program of that many promises."""
    mandate = make_sitting_akim(unit, starts_on=starts_on or starts_for_due_in(due_in_days))
    published_program(mandate, promises=promises, **program)
    return mandate


def program_of(mandate: Mandate) -> Program:
    return commitments_program(mandate)


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=timezone.get_current_timezone())


def fill_report(report: Report, *, actor: AbstractBaseUser | None, meeting_on: date | None = None) -> Report:
    """Meeting, summary, budget, and an update of every active promise (the first one "no change")."""
    services.report_save_details(
        report=report,
        meeting_on=meeting_on or max(report.period_start, timezone.localdate() - timedelta(days=1)),
        meeting_place="Дом культуры, ул. Абая 12",
        broadcast_url="https://example.org/live/1",
        attendance=64,
        summary="Отчёт акима о работе за полугодие: дороги, свет, вода.",
        actor=actor,
    )
    services.report_save_budget(report=report, lines=BUDGET, actor=actor)
    for index, promise in enumerate(active_promises(commitments_program(report.mandate))):
        if index == 0:
            services.report_save_update(
                report=report,
                promise=promise,
                no_change=True,
                narrative="Конкурс ещё не объявлен: ждём трансферт района.",
                actor=actor,
            )
        else:
            services.report_save_update(
                report=report,
                promise=promise,
                no_change=False,
                status="in_progress",
                progress=min(10 * index, 100),
                spent_kzt=100_000 * index,
                narrative=f"Работы по обещанию {promise.local_id} идут.",
                actor=actor,
            )
    return Report.private_objects.get(pk=report.pk)


def filled_report(
    mandate: Mandate, *, actor: AbstractBaseUser | None = None, today: date | None = None
) -> Report:
    report = services.report_start(mandate=mandate, actor=actor, today=today)
    return fill_report(report, actor=actor)


def published_report(
    mandate: Mandate, *, actor: AbstractBaseUser | None = None, now: datetime | None = None
) -> Report:
    report = filled_report(mandate, actor=actor)
    return services.report_publish(report=report, actor=actor, now=now)
