"""Request pages: submit, slip, the request with its history and actions, my requests, the inbox,
figures, notifications. Thin: forms check the input, services the rules, selectors read."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from esep.appeals import selectors, services
from esep.appeals.deadlines import extension_limit, forward_limit
from esep.appeals.forms import (
    AnswerForm,
    AppealForm,
    CloseForm,
    ExtendForm,
    ForwardForm,
    InboxFilterForm,
)
from esep.appeals.models import Appeal, AppealPhoto, Body, Source, Status
from esep.appeals.routing import category_route, default_body_name
from esep.core.access import authenticated, may, public, requires
from esep.core.errors import ApplicationError
from esep.core.models import Role, RoleAssignment
from esep.core.ratelimit import rate_limited
from esep.territory.models import Level, Territory
from esep.territory.selectors import ancestors

PAGE_SIZE = 25


def _resident_unit(user: object) -> str:
    assignment = (
        RoleAssignment.objects.filter(user=user, role=Role.RESIDENT, territory__isnull=False)
        .select_related("territory")
        .first()
    )
    return assignment.territory.kato if assignment else ""


@authenticated
@rate_limited("appeals.submit", per_user=20, per_ip=100, window_seconds=3600)
def submit(request: HttpRequest) -> HttpResponse:
    initial = {
        "unit": (request.GET.get("unit") or "")[:9] or _resident_unit(request.user),
        "publish_text": True,
    }
    form = AppealForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = services.appeal_register(
                unit=data["unit"],
                category=data["category"],
                text=data["text"],
                address=data["address"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                publish_text=data["publish_text"],
                photos=data["photos"],
                resident=request.user,
                source=Source.WEB,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Your request is registered as %(number)s.") % {"number": appeal.number}
            )
            return redirect("appeals:slip", number=appeal.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "appeals/submit.html", {"form": form}, status=status)


@authenticated
def slip(request: HttpRequest, number: str) -> HttpResponse:
    appeal = selectors.appeal_for_user(request.user, number)
    return render(request, "appeals/slip.html", {"appeal": appeal})


def _detail_context(request: HttpRequest, appeal: Appeal, **forms_given: forms.Form) -> dict:
    today = timezone.localdate()
    handler = may(request.user, "appeals.handle", appeal.kato)
    route = category_route(appeal.category)
    window = forward_limit(appeal.registered_at)
    context = {
        "appeal": appeal,
        "today": today,
        "overdue": appeal.is_overdue(today),
        "history": selectors.appeal_history(appeal),
        "photos": selectors.appeal_photos(appeal),
        "ancestors": ancestors(appeal.unit),
        "handler": handler,
        "is_resident": appeal.resident_id == request.user.pk,
        "route": route,
        "route_holder": Body(route.holder).label,
        "forward_until": window,
        "can_forward": handler and appeal.is_open and today <= window,
        "can_lookup": may(request.user, "registries.lookup", appeal.kato) and appeal.is_open,
    }
    if handler and appeal.is_open:
        suggested = route.holder if route.holder != Body.RURAL else Body.DISTRICT
        context.update(
            answer_form=forms_given.get("answer_form") or AnswerForm(),
            extend_form=forms_given.get("extend_form")
            or ExtendForm(initial={"new_deadline": extension_limit(appeal.registered_at)}),
            forward_form=forms_given.get("forward_form")
            or ForwardForm(
                initial={
                    "body": suggested,
                    "body_name": default_body_name(suggested, appeal.unit, appeal.category),
                }
            ),
            extension_limit=extension_limit(appeal.registered_at),
            assignees=list(selectors.assignees(request.user)),
        )
    if context["is_resident"] and appeal.status == Status.ANSWERED:
        context["close_form"] = forms_given.get("close_form") or CloseForm()
    return context


@authenticated
def detail(request: HttpRequest, number: str) -> HttpResponse:
    appeal = selectors.appeal_for_user(request.user, number)
    return render(request, "appeals/detail.html", _detail_context(request, appeal))


def _act(
    request: HttpRequest,
    number: str,
    form_class: type[forms.Form] | None,
    key: str,
    action: Callable[[Appeal, dict], None],
) -> HttpResponse:
    """Run `action(appeal, cleaned_data)`; on bad input or a broken rule show the page again, with why."""
    appeal = selectors.appeal_for_user(request.user, number)
    form = form_class(request.POST) if form_class is not None else None
    if form is None or form.is_valid():
        try:
            action(appeal, form.cleaned_data if form is not None else {})
        except ApplicationError as exc:
            if form is None:
                messages.error(request, str(exc.message))
                return redirect("appeals:detail", number=number)
            form.add_error(None, exc.message)
        else:
            return redirect("appeals:detail", number=number)
    appeal = selectors.appeal_get(number)
    return render(request, "appeals/detail.html", _detail_context(request, appeal, **{key: form}), status=400)


@require_POST
@authenticated
def start(request: HttpRequest, number: str) -> HttpResponse:
    def action(appeal: Appeal, data: dict) -> None:
        services.appeal_start(actor=request.user, appeal=appeal)
        messages.success(request, _("The request is taken into work."))

    return _act(request, number, None, "", action)


@require_POST
@authenticated
def answer(request: HttpRequest, number: str) -> HttpResponse:
    def action(appeal: Appeal, data: dict) -> None:
        services.appeal_answer(actor=request.user, appeal=appeal, answer=data["answer"])
        messages.success(request, _("The answer is sent to the resident."))

    return _act(request, number, AnswerForm, "answer_form", action)


@require_POST
@authenticated
def extend(request: HttpRequest, number: str) -> HttpResponse:
    def action(appeal: Appeal, data: dict) -> None:
        services.appeal_extend(
            actor=request.user, appeal=appeal, new_deadline=data["new_deadline"], reason=data["reason"]
        )
        messages.success(request, _("The deadline is extended and the resident is told."))

    return _act(request, number, ExtendForm, "extend_form", action)


@require_POST
@authenticated
def forward(request: HttpRequest, number: str) -> HttpResponse:
    def action(appeal: Appeal, data: dict) -> None:
        services.appeal_forward(
            actor=request.user,
            appeal=appeal,
            body=data["body"],
            body_name=data["body_name"],
            reason=data["reason"],
        )
        messages.success(request, _("The request is forwarded."))

    return _act(request, number, ForwardForm, "forward_form", action)


@require_POST
@authenticated
def close(request: HttpRequest, number: str) -> HttpResponse:
    def action(appeal: Appeal, data: dict) -> None:
        services.appeal_close(actor=request.user, appeal=appeal, verdict=data["verdict"], note=data["note"])
        messages.success(request, _("Thank you: the request is closed with your verdict."))

    return _act(request, number, CloseForm, "close_form", action)


@require_POST
@authenticated
def assign(request: HttpRequest, number: str) -> HttpResponse:
    def action(appeal: Appeal, data: dict) -> None:
        services.appeal_assign(actor=request.user, appeals=[appeal], assignee=_assignee(request))
        messages.success(request, _("Assigned."))

    return _act(request, number, None, "", action)


def _assignee(request: HttpRequest) -> object:
    raw = request.POST.get("assignee", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise ApplicationError(_("Choose who to assign."))
    user = get_user_model().objects.filter(pk=int(raw)).first()
    if user is None:
        raise ApplicationError(_("Choose who to assign."))
    return user


@authenticated
def photo(request: HttpRequest, number: str, photo_id: int) -> HttpResponse:
    appeal = selectors.appeal_for_user(request.user, number)
    record = get_object_or_404(AppealPhoto, pk=photo_id, appeal=appeal)
    try:
        handle = record.image.open("rb")
    except FileNotFoundError:
        raise Http404(photo_id) from None
    response = FileResponse(handle, content_type=record.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@authenticated
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_appeals(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "appeals/mine.html", {"page": page, "today": timezone.localdate()})


def _inbox_filters(form: InboxFilterForm) -> selectors.InboxFilters:
    if not form.is_valid():
        return selectors.InboxFilters()
    data = form.cleaned_data
    return selectors.InboxFilters(
        status=data["status"] or "open",
        category=data["category"].code if data["category"] else "",
        overdue=data["overdue"],
        assigned=data["assigned"],
        escalated=data["escalated"],
        sort=data["sort"] or "deadline",
    )


@requires("appeals.inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _bulk_assign(request)
    form = InboxFilterForm(request.GET or None)
    appeals = selectors.inbox(request.user, _inbox_filters(form))
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))
    handler = may(request.user, "appeals.handle")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "today": timezone.localdate(),
        "handler": handler,
        "assignees": list(selectors.assignees(request.user)) if handler else [],
        "query": query.urlencode(),
    }
    return render(request, "appeals/inbox.html", context)


def _bulk_assign(request: HttpRequest) -> HttpResponse:
    numbers = request.POST.getlist("numbers")[:200]
    appeals: QuerySet[Appeal] = Appeal.private_objects.filter(number__in=numbers)
    try:
        count = services.appeal_assign(actor=request.user, appeals=list(appeals), assignee=_assignee(request))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(count)d requests assigned.") % {"count": count})
    back = request.POST.get("back", "")
    return redirect(f"{request.path}?{back}" if back and "://" not in back else request.path)


@public
def figures(request: HttpRequest, kato: str = "") -> HttpResponse:
    territory = None
    if kato:
        territory = get_object_or_404(Territory.objects.select_related("parent__parent"), kato=kato)
        if territory.level == Level.SETTLEMENT:
            raise Http404(kato)
    result = selectors.figures(kato)
    context = {
        "territory": territory,
        "ancestors": ancestors(territory) if territory else [],
        "figures": result,
        "is_unit": territory is not None and territory.level == Level.UNIT,
    }
    return render(request, "appeals/figures.html", context)


@authenticated
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("appeals:notifications")
    page = Paginator(selectors.notifications(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "appeals/notifications.html", {"page": page})
