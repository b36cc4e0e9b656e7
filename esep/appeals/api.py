"""JSON API of requests under /api/v1/appeals: submit and follow (residents), the inbox and its actions
(akimat), figures (anyone). The services decide; errors come back as the API's JSON error body."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from esep.api.access import api_authenticated, api_public, api_requires
from esep.appeals import selectors, services
from esep.appeals.models import FORWARD_BODIES, TEXT_MAX_LENGTH, Appeal, Category, Source, Verdict
from esep.core.errors import ApplicationError
from esep.core.ratelimit import rate_limited
from esep.territory.models import Territory

router = Router(tags=["appeals"])


class CategoryOut(Schema):
    code: str
    name: str
    name_kk: str
    name_ru: str
    name_en: str
    group: str
    holder: str
    power_codes: list[str]


class AppealIn(Schema):
    unit: str = Field(..., pattern=r"^[0-9]{9}$", description="KATO code of the rural unit")
    category: str = Field(..., max_length=40)
    text: str = Field(..., min_length=1, max_length=TEXT_MAX_LENGTH)
    address: str = Field("", max_length=300)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    publish_text: bool = True


class AppealOut(Schema):
    number: str
    unit: str = Field(..., alias="kato")
    category: str = Field(..., alias="category.code")
    status: str
    registered_at: datetime
    deadline: date
    extended_deadline: date | None
    due_date: date
    text: str
    address: str
    latitude: float | None
    longitude: float | None
    forwarded_to: str
    forwarded_body: str
    answer: str
    answered_at: datetime | None
    verdict: str
    escalated_at: datetime | None


class EventOut(Schema):
    at: datetime
    kind: str
    note: str


class AppealDetailOut(AppealOut):
    extension_reason: str
    history: list[EventOut]


class InboxOut(AppealOut):
    assigned_to: str | None = Field(None, alias="assigned_to.username")


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=10000)


class ExtendIn(Schema):
    new_deadline: date
    reason: str = Field(..., min_length=10, max_length=2000)


class ForwardIn(Schema):
    body: str = Field(..., description="district, region, police or other")
    body_name: str = Field("", max_length=200)
    reason: str = Field("", max_length=2000)


class AssignIn(Schema):
    numbers: list[str] = Field(..., min_length=1, max_length=200)
    assignee: str | None = Field(None, description="user name of the official; empty to unassign")


class CloseIn(Schema):
    verdict: str = Field(..., description="confirmed or disputed")
    note: str = Field("", max_length=2000)


class CategoryFigureOut(Schema):
    category: str
    registered: int
    forwarded: int
    forwarded_share: float | None


class FiguresOut(Schema):
    scope: str
    since: date
    registered: int
    answered: int
    on_time_share: float | None
    median_working_days: int | None
    forwarded_share: float | None
    by_category: list[CategoryFigureOut]


def _detail(appeal: Appeal) -> Appeal:
    appeal.history = selectors.appeal_history(appeal)
    return appeal


@router.get("/appeals/categories", response=list[CategoryOut], summary="Request categories")
@api_public
def category_list(request: HttpRequest):
    return Category.objects.filter(active=True).order_by("position")


@router.post("/appeals", response={201: AppealOut}, summary="Send a request (signed-in resident)")
@api_authenticated
@rate_limited("appeals.submit", per_user=20, per_ip=100, window_seconds=3600)
def appeal_submit(request: HttpRequest, payload: AppealIn):
    unit = get_object_or_404(Territory, kato=payload.unit)
    category = get_object_or_404(Category, code=payload.category)
    appeal = services.appeal_register(
        unit=unit,
        category=category,
        text=payload.text,
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
        publish_text=payload.publish_text,
        resident=request.user,
        source=Source.API,
    )
    return Status(201, appeal)


@router.get("/appeals/mine", response=list[AppealOut], summary="My requests")
@api_authenticated
@paginate(PageNumberPagination)
def appeal_mine(request: HttpRequest):
    return selectors.my_appeals(request.user)


@router.get("/appeals/inbox", response=list[InboxOut], summary="The akimat's or supervisor's inbox")
@api_requires("appeals.inbox")
@paginate(PageNumberPagination)
def appeal_inbox(
    request: HttpRequest,
    status: str = Query("open", pattern=r"^(open|all|registered|in_progress|answered|closed|forwarded)$"),
    category: str = "",
    overdue: bool = False,
    escalated: bool = False,
    assigned: str = Query("", pattern=r"^(|me|none)$"),
    sort: str = Query("deadline", pattern=r"^(deadline|newest)$"),
):
    filters = selectors.InboxFilters(
        status=status, category=category, overdue=overdue, escalated=escalated, assigned=assigned, sort=sort
    )
    return selectors.inbox(request.user, filters)


@router.get("/appeals/figures", response=FiguresOut, summary="Figures of a territory (empty: the country)")
@api_public
def appeal_figures(request: HttpRequest, kato: str = Query("", pattern=r"^([0-9]{9})?$")):
    if kato and not Territory.objects.filter(kato=kato).exists():
        raise Http404(kato)
    result = selectors.figures(kato)
    registered = result.totals["registered"]
    return {
        "scope": kato,
        "since": result.since,
        "registered": registered,
        "answered": result.totals["answered"],
        "on_time_share": result.on_time_share,
        "median_working_days": result.median_days,
        "forwarded_share": result.totals["forwarded"] / registered if registered else None,
        "by_category": [
            {
                "category": row.category.code,
                "registered": row.registered,
                "forwarded": row.forwarded,
                "forwarded_share": row.forwarded_share,
            }
            for row in result.by_category
        ],
    }


@router.post("/appeals/assign", response=dict, summary="Assign requests to an official (bulk)")
@api_requires("appeals.handle")
def appeal_assign(request: HttpRequest, payload: AssignIn):
    appeals = list(Appeal.private_objects.filter(number__in=payload.numbers))
    found = {appeal.number for appeal in appeals}
    missing = [number for number in payload.numbers if number not in found]
    if missing:
        raise Http404(missing[0])
    assignee = None
    if payload.assignee:
        assignee = get_object_or_404(get_user_model(), username=payload.assignee)
    count = services.appeal_assign(actor=request.user, appeals=appeals, assignee=assignee)
    return {"assigned": count}


@router.get("/appeals/{number}", response=AppealDetailOut, summary="One request with its history")
@api_authenticated
def appeal_detail(request: HttpRequest, number: str):
    return _detail(selectors.appeal_for_user(request.user, number))


@router.post("/appeals/{number}/photos", response={201: dict}, summary="Add a photo (the resident, ≤ 3)")
@api_authenticated
def appeal_photo_add(request: HttpRequest, number: str, photo: File[UploadedFile]):
    appeal = selectors.appeal_for_user(request.user, number)
    record = services.appeal_add_photo(actor=request.user, appeal=appeal, upload=photo)
    return Status(
        201,
        {
            "id": record.pk,
            "content_type": record.content_type,
            "width": record.width,
            "height": record.height,
        },
    )


@router.post("/appeals/{number}/start", response=AppealDetailOut, summary="Take into work")
@api_requires("appeals.handle")
def appeal_start(request: HttpRequest, number: str):
    appeal = selectors.appeal_for_user(request.user, number)
    return _detail(services.appeal_start(actor=request.user, appeal=appeal))


@router.post("/appeals/{number}/answer", response=AppealDetailOut, summary="Answer")
@api_requires("appeals.handle")
def appeal_answer(request: HttpRequest, number: str, payload: AnswerIn):
    appeal = selectors.appeal_for_user(request.user, number)
    return _detail(services.appeal_answer(actor=request.user, appeal=appeal, answer=payload.answer))


@router.post("/appeals/{number}/extend", response=AppealDetailOut, summary="Extend the deadline once")
@api_requires("appeals.handle")
def appeal_extend(request: HttpRequest, number: str, payload: ExtendIn):
    appeal = selectors.appeal_for_user(request.user, number)
    updated = services.appeal_extend(
        actor=request.user, appeal=appeal, new_deadline=payload.new_deadline, reason=payload.reason
    )
    return _detail(updated)


@router.post("/appeals/{number}/forward", response=AppealDetailOut, summary="Forward within 3 working days")
@api_requires("appeals.handle")
def appeal_forward(request: HttpRequest, number: str, payload: ForwardIn):
    appeal = selectors.appeal_for_user(request.user, number)
    if payload.body not in FORWARD_BODIES:
        raise ApplicationError(
            _("body must be one of: %(bodies)s") % {"bodies": ", ".join(FORWARD_BODIES)}, code="invalid_body"
        )
    updated = services.appeal_forward(
        actor=request.user,
        appeal=appeal,
        body=payload.body,
        body_name=payload.body_name,
        reason=payload.reason,
    )
    return _detail(updated)


@router.post("/appeals/{number}/close", response=AppealDetailOut, summary="Confirm or dispute the answer")
@api_authenticated
def appeal_close(request: HttpRequest, number: str, payload: CloseIn):
    appeal = selectors.appeal_for_user(request.user, number)
    if payload.verdict not in Verdict.values:
        raise ApplicationError(_("verdict must be confirmed or disputed"), code="invalid_verdict")
    return _detail(
        services.appeal_close(actor=request.user, appeal=appeal, verdict=payload.verdict, note=payload.note)
    )
