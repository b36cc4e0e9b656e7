"""Open data of the reports app under /api/v1/: published reports with their updates, the ratings summary,
timeliness, and the units whose report is overdue. Drafts are never listed."""

from datetime import date, datetime

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from esep.api.access import api_public
from esep.api.pagination import Pages
from esep.api.territory import prefix_filter
from esep.reports import selectors, stats
from esep.reports.models import BudgetLine, Erratum, Evidence, Question, Report, ReportStat, ReportUpdate

router = Router(tags=["reports"])
KATO = r"^[0-9]{9}$"
MAX_ID = 2_147_483_647


class ReportOut(Schema):
    id: int
    unit: str = Field(..., alias="rural_unit.kato")
    mandate: int = Field(..., alias="mandate_id")
    akim: str = Field(..., alias="mandate.person.full_name")
    sequence: int
    period_start: date
    due_on: date
    published_at: datetime
    days_late: int
    meeting_on: date
    meeting_place: str
    broadcast_url: str
    attendance: int | None
    rating_count: int
    average_rating: float | None


class BudgetLineOut(Schema):
    kind: str
    item: str
    planned_kzt: int
    actual_kzt: int


class EvidenceOut(Schema):
    kind: str
    url: str
    content_type: str
    size: int
    title: str

    @staticmethod
    def resolve_url(obj: Evidence) -> str:
        return f"/reports/evidence/{obj.pk}/"


class UpdateOut(Schema):
    id: int
    report: int = Field(..., alias="report_id")
    promise: int = Field(..., alias="promise_id")
    number: str = Field(..., alias="promise.local_id")
    title: str = Field(..., alias="promise.title")
    no_change: bool
    status_before: str
    status: str = Field(..., alias="status_after")
    progress: int | None
    spent_kzt: int | None
    narrative: str
    reason: str
    event: int | None = Field(None, alias="event_id")
    agree: int = Field(..., alias="agree_count")
    disagree: int = Field(..., alias="disagree_count")
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: ReportUpdate) -> list[Evidence]:
        return list(obj.evidence.all())


class ErratumOut(Schema):
    published_at: datetime
    text: str


class QuestionOut(Schema):
    id: int
    asked_at: datetime
    text: str | None
    hidden_reason: str | None
    answer: str | None
    answered_at: datetime | None

    @staticmethod
    def resolve_text(obj: Question) -> str | None:
        return None if obj.is_hidden else obj.text

    @staticmethod
    def resolve_hidden_reason(obj: Question) -> str | None:
        return obj.hidden_reason if obj.is_hidden else None

    @staticmethod
    def resolve_answer(obj: Question) -> str | None:
        return obj.answer or None


class ReportDetailOut(ReportOut):
    summary: str
    budget: list[BudgetLineOut]
    updates: list[UpdateOut]
    errata: list[ErratumOut]
    questions: list[QuestionOut]

    @staticmethod
    def resolve_budget(obj: Report) -> list[BudgetLine]:
        return list(obj.budget_lines.all())

    @staticmethod
    def resolve_updates(obj: Report) -> list[ReportUpdate]:
        return list(obj.updates.all())

    @staticmethod
    def resolve_errata(obj: Report) -> list[Erratum]:
        return list(obj.errata.all())

    @staticmethod
    def resolve_questions(obj: Report) -> list[Question]:
        return list(obj.questions.all())


class RatingsOut(Schema):
    report: int
    count: int
    average: float | None
    by_stars: dict[str, int]


class TimelinessOut(Schema):
    territory: str | None
    units: int
    units_overdue: int
    reports_due: int
    published: int
    on_time: int
    late: int
    on_time_share: float | None
    average_days_late: float | None
    rating_count: int
    average_rating: float | None


class OverdueOut(Schema):
    unit: str = Field(..., alias="kato")
    name: str = Field(..., alias="unit.name")
    mandate: int | None = Field(None, alias="mandate_id")
    overdue_reports: int = Field(..., alias="overdue")
    overdue_since: date | None
    days_overdue: int
    missed: list[date]

    @staticmethod
    def resolve_days_overdue(obj: ReportStat) -> int:
        return (timezone.localdate() - obj.overdue_since).days if obj.overdue_since else 0


def _published(report_id: int) -> Report:
    report = Report.public_objects.filter(pk=report_id).first()
    if report is None:
        raise Http404(report_id)
    return report


@router.get("/reports", response=list[ReportOut], summary="Published reports, newest first")
@api_public
@paginate(Pages)
def report_list(
    request,
    territory: str | None = Query(None, pattern=KATO, description="KATO code of a region, district or unit"),
    mandate: int | None = Query(None, ge=1, le=MAX_ID),
):
    return selectors.published_reports(prefix=prefix_filter(territory), mandate_id=mandate)


@router.get(
    "/reports/overdue", response=list[OverdueOut], summary="Units whose sitting akim owes an overdue report"
)
@api_public
@paginate(Pages)
def overdue_list(request, territory: str | None = Query(None, pattern=KATO)):
    """The longest overdue first; `missed` lists every due date passed without a published report."""
    return selectors.overdue_stats(prefix_filter(territory)).select_related("unit")


@router.get(
    "/reports/timeliness", response=TimelinessOut, summary="Timeliness and rating of reports in a territory"
)
@api_public
def timeliness(request, territory: str | None = Query(None, pattern=KATO)):
    figures = stats.area_timeliness(prefix_filter(territory))
    return {
        "territory": territory,
        "units": figures.units,
        "units_overdue": figures.units_overdue,
        "reports_due": figures.due,
        "published": figures.published,
        "on_time": figures.on_time,
        "late": figures.late,
        "on_time_share": figures.on_time_share,
        "average_days_late": figures.average_days_late,
        "rating_count": figures.rating_count,
        "average_rating": figures.average_rating,
    }


@router.get("/reports/{report_id}", response=ReportDetailOut, summary="One published report, in full")
@api_public
def report_get(request, report_id: int = Path(..., ge=1, le=MAX_ID)):
    """With the meeting, the budget execution, the updates (with evidence and residents' verdicts), errata and
    questions; a question hidden by a moderator has no text, only its `hidden_reason`."""
    _published(report_id)
    return selectors.report_get(report_id)


@router.get(
    "/reports/{report_id}/updates", response=list[UpdateOut], summary="The promise updates of a report"
)
@api_public
@paginate(Pages)
def update_list(request, report_id: int = Path(..., ge=1, le=MAX_ID)):
    report = _published(report_id)
    return (
        ReportUpdate.objects.filter(report=report)
        .select_related("promise")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("promise__order", "promise_id")
    )


@router.get("/reports/{report_id}/ratings", response=RatingsOut, summary="The residents' ratings of a report")
@api_public
def ratings(request, report_id: int = Path(..., ge=1, le=MAX_ID)):
    report = _published(report_id)
    return {
        "report": report.pk,
        "count": report.rating_count,
        "average": report.average_rating,
        "by_stars": {str(stars): count for stars, count in selectors.rating_histogram(report)},
    }
