"""Reads of the reports app, each with a fixed number of queries whatever the number of rows."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from esep.core import access
from esep.core.kato import kato_prefix, kato_within
from esep.elections.models import Mandate
from esep.programs.models import Promise
from esep.reports.models import (
    BudgetKind,
    BudgetLine,
    Erratum,
    Evidence,
    Question,
    Rating,
    Report,
    ReportNotification,
    ReportStat,
    ReportStatus,
    ReportUpdate,
    UpdateVerdict,
)
from esep.reports.schedule import Period
from esep.reports.services import active_promises, commitments_program
from esep.reports.stats import mandate_schedule, rule_periods
from esep.territory.models import Territory


def report_get(report_id: int) -> Report:
    """A report with everything its page shows: unit, akim, budget lines, updates with their promises and
    evidence, errata and questions (six queries)."""
    report = (
        Report.private_objects.select_related(
            "rural_unit__parent__parent", "mandate__person", "mandate__party"
        )
        .prefetch_related(
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("kind", "order", "pk")),
            Prefetch(
                "updates",
                queryset=ReportUpdate.objects.select_related("promise", "event").order_by(
                    "promise__order", "promise_id"
                ),
            ),
            Prefetch("updates__evidence", queryset=Evidence.objects.order_by("pk")),
            Prefetch("errata", queryset=Erratum.objects.order_by("published_at", "pk")),
            Prefetch(
                "questions",
                queryset=Question.public_objects.select_related("author").order_by("asked_at", "pk"),
            ),
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404(report_id)
    return report


def budget_totals(report: Report) -> dict[str, dict[str, int]]:
    """Planned and executed revenues and expenses (from the prefetched lines)."""
    totals = {kind: {"planned": 0, "actual": 0} for kind in BudgetKind.values}
    for line in report.budget_lines.all():
        totals[line.kind]["planned"] += line.planned_kzt
        totals[line.kind]["actual"] += line.actual_kzt
    return totals


def my_rating(user: object, report: Report) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Rating.private_objects.filter(report=report, user=user).values_list("stars", flat=True).first()


def my_verdicts(user: object, report: Report) -> dict[int, str]:
    if not getattr(user, "is_authenticated", False):
        return {}
    return dict(
        UpdateVerdict.private_objects.filter(update__report=report, user=user).values_list(
            "update_id", "verdict"
        )
    )


def rating_histogram(report: Report) -> list[tuple[int, int]]:
    """How many residents gave each mark, 5 down to 1 (one query)."""
    counts = dict(
        Rating.private_objects.filter(report=report).values_list("stars").annotate(n=Count("pk")).order_by()
    )
    return [(stars, counts.get(stars, 0)) for stars in range(5, 0, -1)]


# --- The editor ---------------------------------------------------------------------------------------------


@dataclass
class EditorRow:
    promise: Promise
    update: ReportUpdate | None


def editor_rows(report: Report) -> list[EditorRow]:
    """Each active promise of the akim's program with the draft's update of it, if any (four queries)."""
    program = commitments_program(report.mandate)
    updates = {
        update.promise.local_id: update
        for update in report.updates.select_related("promise").prefetch_related("evidence")
    }
    rows = [
        EditorRow(promise=promise, update=updates.pop(promise.local_id, None))
        for promise in active_promises(program)
    ]
    # Updates of promises no longer active (kept or broken meanwhile, or amended away) stay listed.
    rows.extend(EditorRow(promise=update.promise, update=update) for update in updates.values())
    return rows


# --- History of a mandate ---------------------------------------------------------------------------------


@dataclass
class HistoryRow:
    period: Period
    report: Report | None
    state: str  # published, overdue, draft, due (the current period), upcoming


@dataclass
class History:
    mandate: Mandate
    rows: list[HistoryRow] = field(default_factory=list)
    stat: ReportStat | None = None
    today: date | None = None

    @property
    def next_row(self) -> HistoryRow | None:
        return next((row for row in self.rows if row.state in {"draft", "due", "upcoming"}), None)

    @property
    def overdue_rows(self) -> list[HistoryRow]:
        return [row for row in self.rows if row.state == "overdue"]


def mandate_history(mandate: Mandate, *, today: date, with_drafts: bool = False) -> History:
    """The mandate's schedule, each period with its report (three queries)."""
    reports = Report.private_objects.filter(mandate=mandate)
    if not with_drafts:
        reports = reports.filter(status=ReportStatus.PUBLISHED)
    by_sequence = {report.sequence: report for report in reports}
    rows = []
    for period in mandate_schedule(mandate, rule_periods()):
        report = by_sequence.get(period.sequence)
        if report is not None and report.status == ReportStatus.PUBLISHED:
            state = "published"
        elif period.due_on < today:
            state = "overdue"
        elif report is not None:
            state = "draft"
        elif period.starts_on <= today:
            state = "due"
        else:
            state = "upcoming"
        rows.append(HistoryRow(period=period, report=report, state=state))
    stat = ReportStat.objects.filter(unit_id=mandate.rural_unit_id, mandate_id=mandate.pk).first()
    return History(mandate=mandate, rows=rows, stat=stat, today=today)


def mandate_get(mandate_id: int) -> Mandate:
    mandate = (
        Mandate.objects.select_related("person", "party", "rural_unit__parent__parent")
        .filter(pk=mandate_id)
        .first()
    )
    if mandate is None:
        raise Http404(mandate_id)
    return mandate


def past_mandates(unit: Territory) -> list[Mandate]:
    return list(
        Mandate.objects.filter(rural_unit=unit, ended_on__isnull=False)
        .select_related("person")
        .order_by("-starts_on")
    )


# --- Lists --------------------------------------------------------------------------------------------------


def published_reports(*, prefix: str = "", mandate_id: int | None = None) -> QuerySet[Report]:
    reports = Report.public_objects.select_related("rural_unit", "mandate__person")
    if prefix:
        reports = reports.filter(kato_within("rural_unit__kato", prefix))
    if mandate_id:
        reports = reports.filter(mandate_id=mandate_id)
    return reports.order_by("-published_at", "-pk")


def unit_feed_reports(unit: Territory, limit: int = 20) -> list[Report]:
    return list(
        Report.public_objects.filter(rural_unit=unit)
        .select_related("rural_unit", "mandate__person")
        .prefetch_related(Prefetch("errata", queryset=Erratum.objects.order_by("published_at", "pk")))
        .order_by("-published_at", "-pk")[:limit]
    )


def overdue_stats(prefix: str = "") -> QuerySet[ReportStat]:
    """Units whose sitting akim owes a report past its due date, the longest overdue first."""
    rows = ReportStat.objects.filter(overdue__gt=0, mandate_id__isnull=False).select_related("unit__parent")
    if prefix:
        rows = rows.filter(kato_within("kato", prefix))
    return rows.order_by("overdue_since", "kato")


def unit_stats(prefix: str) -> QuerySet[ReportStat]:
    return (
        ReportStat.objects.filter(kato_within("kato", prefix), mandate_id__isnull=False)
        .select_related("unit", "last_report")
        .order_by("kato")
    )


def unit_stat(unit: Territory) -> ReportStat | None:
    return ReportStat.objects.filter(unit=unit).select_related("last_report").first()


def area_names(codes: list[str]) -> dict[str, Territory]:
    return {territory.kato: territory for territory in Territory.objects.filter(kato__in=codes)}


def questions_to_moderate(user: object) -> QuerySet[Question]:
    """Questions in the moderator's territory, newest first; hidden ones last."""
    questions = Question.moderation_objects.select_related("report__rural_unit", "author", "hidden_by")
    scope = access.scope_q(user, "reports.moderate", field="report__rural_unit__kato")
    if scope is not None:
        questions = questions.filter(scope)
    return questions.order_by("hidden_at", "-asked_at", "-pk")


def questions_to_answer(user: object) -> QuerySet[Question]:
    scope = access.scope_q(user, "reports.write", field="report__rural_unit__kato")
    questions = Question.moderation_objects.filter(answered_at__isnull=True, hidden_at__isnull=True)
    if scope is not None:
        questions = questions.filter(scope)
    return questions.select_related("report__rural_unit").order_by("asked_at", "pk")


def notifications(user: object) -> QuerySet[ReportNotification]:
    return (
        ReportNotification.objects.filter(recipient=user)
        .select_related("rural_unit", "report")
        .order_by("-created_at", "-pk")
    )


def unread_count(user: object) -> int:
    return ReportNotification.objects.filter(recipient=user, read_at__isnull=True).count()


def units_written_by(user: object) -> QuerySet[ReportStat]:
    """The units whose reports the user writes (akim, akimat staff), with their figures."""
    scope = access.scope_q(user, "reports.write")
    rows = ReportStat.objects.filter(mandate_id__isnull=False).select_related("unit", "last_report")
    if scope is not None:
        rows = rows.filter(scope)
    return rows.order_by("kato")


def prefix_of(territory: Territory | None) -> str:
    return kato_prefix(territory.kato) if territory is not None else ""
