"""Pages of the reports app: the akim's report history, the report (printable), the editor, the residents'
rating, verdicts and questions (htmx), moderation, notifications, timeliness by territory, overdue lists,
the Atom feed, and the promise deadline extensions.

Who may write a report is an object-level question answered by `get_report_for_user`: the akim and the
akimat staff of the report's unit (permission `reports.write` there). Every change goes through a service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from esep.core import access
from esep.core.access import authenticated, public, requires
from esep.core.errors import ApplicationError
from esep.core.models import Role
from esep.core.ratelimit import rate_limited
from esep.elections.models import Mandate
from esep.elections.selectors import current_mandate
from esep.programs.models import ExtensionStatus, Promise, PromiseExtension
from esep.programs.services import promise_extension_decide, promise_extension_file
from esep.reports import selectors, services, stats
from esep.reports.forms import (
    AnswerForm,
    BudgetFormSet,
    DecisionForm,
    ErratumForm,
    ExtensionForm,
    HideForm,
    QuestionForm,
    RatingForm,
    ReportDetailsForm,
    UpdateForm,
    VerdictForm,
    budget_initial,
)
from esep.reports.models import Evidence, Question, Report, ReportStatus, ReportUpdate, Subscription
from esep.territory.models import Level, Territory
from esep.territory.selectors import ancestors, territory_get

PAGE_SIZE = 25


# --- Who may see and write ----------------------------------------------------------------------------------


def may_write(user: object, report: Report) -> bool:
    return access.may(user, "reports.write", report.rural_unit)


def get_report_for_user(request: HttpRequest, report_id: int, *, write: bool = False) -> Report:
    """The report, or 404 for a draft the user may not see, or 403 for a change the user may not make."""
    report = get_object_or_404(
        Report.private_objects.select_related("rural_unit", "mandate__person"), pk=report_id
    )
    if write or report.status == ReportStatus.DRAFT:
        if not may_write(request.user, report):
            if report.status == ReportStatus.DRAFT and not write:
                raise Http404(report_id)
            raise PermissionDenied("reports.write")
    return report


def _unit(kato: str) -> Territory:
    unit = territory_get(kato)
    if not (unit.level == Level.UNIT and unit.has_elected_akim):
        raise Http404(kato)
    return unit


def _area(kato: str | None) -> Territory | None:
    if kato is None:
        return None
    territory = territory_get(kato)
    if territory.level not in {Level.REGION, Level.DISTRICT}:
        raise Http404(kato)
    return territory


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- History of a mandate, and the unit's reports -----------------------------------------------------------


def _history_page(request: HttpRequest, unit: Territory, mandate: Mandate | None) -> HttpResponse:
    today = timezone.localdate()
    writer = access.may(request.user, "reports.write", unit)
    history = (
        selectors.mandate_history(mandate, today=today, with_drafts=writer and mandate.ended_on is None)
        if mandate is not None
        else None
    )
    subscribed = (
        request.user.is_authenticated and Subscription.objects.filter(user=request.user, unit=unit).exists()
    )
    context = {
        "unit": unit,
        "ancestors": [*ancestors(unit), unit],
        "mandate": mandate,
        "history": history,
        "today": today,
        "may_write": writer and mandate is not None and mandate.ended_on is None,
        "subscribed": subscribed,
        "past_mandates": selectors.past_mandates(unit),
    }
    return render(request, "reports/history.html", context)


@public
def unit_reports(request: HttpRequest, kato: str) -> HttpResponse:
    unit = _unit(kato)
    return _history_page(request, unit, current_mandate(unit))


@public
def mandate_reports(request: HttpRequest, mandate_id: int) -> HttpResponse:
    mandate = selectors.mandate_get(mandate_id)
    return _history_page(request, mandate.rural_unit, mandate)


@requires("reports.write")
@require_POST
def report_start(request: HttpRequest, kato: str) -> HttpResponse:
    unit = _unit(kato)
    access.ensure(request.user, "reports.write", unit)
    mandate = current_mandate(unit)
    if mandate is None:
        raise Http404(kato)
    try:
        report = services.report_start(mandate=mandate, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("reports:unit", kato)
    return redirect("reports:edit", report.pk)


@authenticated
@require_POST
def subscribe(request: HttpRequest, kato: str) -> HttpResponse:
    unit = _unit(kato)
    wanted = request.POST.get("subscribe") == "1"
    services.subscription_set(user=request.user, unit=unit, subscribed=wanted)
    if wanted and not request.user.email:
        messages.warning(request, _("Add an e-mail address to your account to receive the e-mails."))
    elif wanted:
        messages.success(request, _("You will get an e-mail when the akim publishes a report."))
    else:
        messages.success(request, _("You will no longer get e-mails about these reports."))
    return redirect("reports:unit", kato)


# --- The report page ----------------------------------------------------------------------------------------


def _report_context(request: HttpRequest, report: Report) -> dict:
    user = request.user
    is_resident = access.has_role(user, Role.RESIDENT, report.rural_unit)
    return {
        "report": report,
        "unit": report.rural_unit,
        "ancestors": [*ancestors(report.rural_unit), report.rural_unit],
        "totals": selectors.budget_totals(report),
        "may_write": may_write(user, report),
        "may_moderate": access.may(user, "reports.moderate", report.rural_unit),
        "is_resident": is_resident,
        "my_rating": selectors.my_rating(user, report) if is_resident else None,
        "my_verdicts": selectors.my_verdicts(user, report) if is_resident else {},
        "histogram": selectors.rating_histogram(report) if report.is_published else [],
        "question_form": QuestionForm(),
        "erratum_form": ErratumForm(),
    }


@public
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    get_report_for_user(request, report_id)
    report = selectors.report_get(report_id)
    return render(request, "reports/report.html", _report_context(request, report))


@public
def evidence_file(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("update__report"), pk=evidence_id)
    get_report_for_user(request, evidence.update.report_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(evidence_id) from None
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=evidence.content_type == "application/pdf",
        filename=f"evidence-{evidence.pk}.{evidence.file.name.rsplit('.', 1)[-1]}",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    if evidence.update.report.status == ReportStatus.PUBLISHED:
        response["Cache-Control"] = "public, max-age=86400"
    else:
        response["Cache-Control"] = "private, no-store"
    return response


# --- The editor ---------------------------------------------------------------------------------------------


def _editor_context(
    request: HttpRequest, report: Report, details: ReportDetailsForm, budget: BudgetFormSet
) -> dict:
    program = services.commitments_program(report.mandate)
    rows = selectors.editor_rows(report)
    return {
        "report": report,
        "unit": report.rural_unit,
        "ancestors": [*ancestors(report.rural_unit), report.rural_unit],
        "details": details,
        "budget": budget,
        "rows": rows,
        "program": program,
        "missing": [row.promise for row in rows if row.update is None],
    }


@requires("reports.write")
def report_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request, report_id, write=True)
    if report.status != ReportStatus.DRAFT:
        return redirect("reports:report", report.pk)
    report = selectors.report_get(report_id)
    initial = {
        "meeting_on": report.meeting_on,
        "meeting_place": report.meeting_place,
        "broadcast_url": report.broadcast_url,
        "attendance": report.attendance,
        "summary": report.summary,
    }
    details = ReportDetailsForm(request.POST or None, initial=initial)
    budget = BudgetFormSet(
        request.POST or None, initial=budget_initial(list(report.budget_lines.all())), prefix="budget"
    )
    status = 200
    if request.method == "POST":
        if details.is_valid() and budget.is_valid():
            data = details.cleaned_data
            try:
                with transaction.atomic():  # the details are kept only if the budget is kept too
                    services.report_save_details(
                        report=report,
                        meeting_on=data["meeting_on"],
                        meeting_place=data["meeting_place"],
                        broadcast_url=data["broadcast_url"],
                        attendance=data["attendance"],
                        summary=data["summary"],
                        actor=request.user,
                    )
                    services.report_save_budget(
                        report=report,
                        lines=[line for form in budget.forms if (line := form.as_input()) is not None],
                        actor=request.user,
                    )
            except ApplicationError as exc:
                details.add_error(None, exc.message)
            else:
                messages.success(request, _("The report is saved."))
                return redirect("reports:edit", report.pk)
        status = 400
    return render(
        request, "reports/edit.html", _editor_context(request, report, details, budget), status=status
    )


@requires("reports.write")
def update_edit(request: HttpRequest, report_id: int, promise_id: int) -> HttpResponse:
    report = get_report_for_user(request, report_id, write=True)
    if report.status != ReportStatus.DRAFT:
        return redirect("reports:report", report.pk)
    promise = get_object_or_404(Promise.objects.select_related("program"), pk=promise_id)
    update = ReportUpdate.objects.filter(report=report, promise=promise).prefetch_related("evidence").first()
    initial = (
        {
            "no_change": update.no_change,
            "status": update.status,
            "progress": update.progress,
            "spent_kzt": update.spent_kzt,
            "narrative": update.narrative,
            "reason": update.reason,
        }
        if update
        else {"status": promise.status if promise.status != "not_rated" else "", "progress": promise.progress}
    )
    form = UpdateForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():  # a refused file leaves the update as it was
                    update = services.report_save_update(
                        report=report,
                        promise=promise,
                        no_change=data["no_change"],
                        status=data["status"],
                        progress=data["progress"],
                        spent_kzt=data["spent_kzt"],
                        narrative=data["narrative"],
                        reason=data["reason"],
                        actor=request.user,
                    )
                    for upload in data["files"]:
                        services.evidence_add(
                            update=update, upload=upload, title=data["caption"], actor=request.user
                        )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("The update of %(promise)s is saved.") % {"promise": promise.local_id}
                )
                return redirect(f"{reverse('reports:edit', args=[report.pk])}#promise-{promise.local_id}")
        status = 400
    context = {
        "report": report,
        "unit": report.rural_unit,
        "promise": promise,
        "update": update,
        "form": form,
        "ancestors": [*ancestors(report.rural_unit), report.rural_unit],
    }
    return render(request, "reports/update_edit.html", context, status=status)


@requires("reports.write")
@require_POST
def update_delete(request: HttpRequest, update_id: int) -> HttpResponse:
    update = get_object_or_404(ReportUpdate.objects.select_related("promise"), pk=update_id)
    report = get_report_for_user(request, update.report_id, write=True)
    try:
        services.report_delete_update(update=update, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("reports:edit", report.pk)


@requires("reports.write")
@require_POST
def evidence_delete(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("update"), pk=evidence_id)
    report = get_report_for_user(request, evidence.update.report_id, write=True)
    try:
        services.evidence_remove(evidence=evidence, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("reports:update", report.pk, evidence.update.promise_id)


@requires("reports.write")
@require_POST
def report_publish(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request, report_id, write=True)
    try:
        services.report_publish(report=report, actor=request.user, site_url=_site_url(request))
    except ApplicationError as exc:
        report = selectors.report_get(report_id)
        details = ReportDetailsForm(
            initial={
                "meeting_on": report.meeting_on,
                "meeting_place": report.meeting_place,
                "broadcast_url": report.broadcast_url,
                "attendance": report.attendance,
                "summary": report.summary,
            }
        )
        budget = BudgetFormSet(initial=budget_initial(list(report.budget_lines.all())), prefix="budget")
        context = _editor_context(request, report, details, budget)
        context["publish_error"] = exc.message
        context["missing_ids"] = exc.extra.get("missing_updates", [])
        return render(request, "reports/edit.html", context, status=400)
    messages.success(request, _("The report is published."))
    return redirect("reports:report", report.pk)


@requires("reports.write")
@require_POST
def erratum_add(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request, report_id, write=True)
    form = ErratumForm(request.POST)
    if form.is_valid():
        try:
            services.report_add_erratum(report=report, text=form.cleaned_data["text"], actor=request.user)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The erratum is published with the report."))
            return redirect(f"{reverse('reports:report', args=[report.pk])}#errata")
    context = _report_context(request, selectors.report_get(report_id))
    context["erratum_form"] = form
    return render(request, "reports/report.html", context, status=400)


# --- The residents' voice (htmx partials; full pages without JavaScript) ------------------------------------


def _partial_or_page(
    request: HttpRequest, report: Report, template: str, extra: dict, status: int = 200
) -> HttpResponse:
    if request.htmx:
        context = _report_context(request, selectors.report_get(report.pk))
        context.update(extra)
        return render(request, template, context, status=status)
    for message in extra.get("errors", []):
        messages.error(request, message)
    return redirect(f"{reverse('reports:report', args=[report.pk])}{extra.get('anchor', '')}")


@requires("reports.rate")
@require_POST
@rate_limited("reports.rate", per_user=30, per_ip=120)
def rate(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request, report_id)
    access.ensure(request.user, "reports.rate", report.rural_unit)
    form = RatingForm(request.POST)
    errors = []
    if form.is_valid():
        try:
            services.report_rate(report=report, user=request.user, stars=form.cleaned_data["stars"])
        except ApplicationError as exc:
            errors.append(exc.message)
    else:
        errors.append(_("Choose a rating from 1 to 5."))
    return _partial_or_page(
        request,
        report,
        "reports/_rating.html",
        {"errors": errors, "anchor": "#rating"},
        400 if errors else 200,
    )


@requires("reports.rate")
@require_POST
@rate_limited("reports.rate", per_user=60, per_ip=240)
def judge(request: HttpRequest, update_id: int) -> HttpResponse:
    update = get_object_or_404(ReportUpdate.objects.select_related("promise"), pk=update_id)
    report = get_report_for_user(request, update.report_id)
    access.ensure(request.user, "reports.rate", report.rural_unit)
    form = VerdictForm(request.POST)
    errors = []
    if form.is_valid():
        try:
            services.update_judge(update=update, user=request.user, verdict=form.cleaned_data["verdict"])
        except ApplicationError as exc:
            errors.append(exc.message)
    else:
        errors.append(_("Choose agree or disagree."))
    if request.htmx:
        context = _report_context(request, selectors.report_get(report.pk))
        context["update"] = next(u for u in context["report"].updates.all() if u.pk == update.pk)
        context["errors"] = errors
        return render(request, "reports/_verdict.html", context, status=400 if errors else 200)
    for message in errors:
        messages.error(request, message)
    return redirect(f"{reverse('reports:report', args=[report.pk])}#update-{update.promise.local_id}")


@requires("reports.rate")
@require_POST
@rate_limited("reports.question", per_user=5, per_ip=30, window_seconds=600)
def ask(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request, report_id)
    access.ensure(request.user, "reports.rate", report.rural_unit)
    form = QuestionForm(request.POST)
    errors = []
    if form.is_valid():
        try:
            services.question_ask(report=report, user=request.user, text=form.cleaned_data["text"])
        except ApplicationError as exc:
            errors.append(exc.message)
    else:
        errors.extend(message for field in form.errors.values() for message in field)
    extra = {"errors": errors, "anchor": "#questions"}
    if request.htmx and errors:
        extra["question_form"] = form
    return _partial_or_page(request, report, "reports/_questions.html", extra, 400 if errors else 200)


@requires("reports.write")
@require_POST
def answer(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(
        Question.moderation_objects.select_related("report__rural_unit"), pk=question_id
    )
    report = get_report_for_user(request, question.report_id, write=True)
    form = AnswerForm(request.POST)
    errors = []
    if form.is_valid():
        try:
            services.question_answer(question=question, text=form.cleaned_data["text"], actor=request.user)
        except ApplicationError as exc:
            errors.append(exc.message)
    else:
        errors.append(_("Write the answer."))
    return _partial_or_page(
        request,
        report,
        "reports/_questions.html",
        {"errors": errors, "anchor": f"#question-{question.pk}"},
        400 if errors else 200,
    )


@requires("reports.moderate")
@require_POST
def hide(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(
        Question.moderation_objects.select_related("report__rural_unit"), pk=question_id
    )
    access.ensure(request.user, "reports.moderate", question.report.rural_unit)
    form = HideForm(request.POST)
    errors = []
    if form.is_valid():
        try:
            services.question_hide(question=question, reason=form.cleaned_data["reason"], actor=request.user)
        except ApplicationError as exc:
            errors.append(exc.message)
    else:
        errors.append(_("Give the reason for hiding, in a few words."))
    if request.POST.get("next") == "moderation":
        for message in errors:
            messages.error(request, message)
        return redirect("reports:moderation")
    return _partial_or_page(
        request,
        question.report,
        "reports/_questions.html",
        {"errors": errors, "anchor": f"#question-{question.pk}"},
        400 if errors else 200,
    )


@requires("reports.moderate")
def moderation(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.questions_to_moderate(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "reports/moderation.html", {"page": page, "hide_form": HideForm()})


@authenticated
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    unread = {notice.pk for notice in page if notice.read_at is None}
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("reports:notifications")
    return render(request, "reports/notifications.html", {"page": page, "unread": unread})


@requires("reports.write")
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.units_written_by(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    questions = list(selectors.questions_to_answer(request.user)[:20])
    return render(
        request, "reports/mine.html", {"page": page, "questions": questions, "today": timezone.localdate()}
    )


# --- Timeliness by territory and the overdue list -----------------------------------------------------------


@public
def timeliness(request: HttpRequest, kato: str | None = None) -> HttpResponse:
    area = _area(kato)
    prefix = selectors.prefix_of(area)
    context = {
        "area": area,
        "ancestors": [*ancestors(area), area] if area else [],
        "timeliness": stats.area_timeliness(prefix),
        "today": timezone.localdate(),
    }
    if area is not None and area.level == Level.DISTRICT:
        context["page"] = Paginator(selectors.unit_stats(prefix), PAGE_SIZE * 4).get_page(
            request.GET.get("page")
        )
    else:
        field = "region" if area is None else "district"
        rows = stats.timeliness_by(field, prefix)
        names = selectors.area_names(list(rows))
        context["timeliness_rows"] = [(names.get(code), code, figures) for code, figures in rows.items()]
        context["level_title"] = _("Region") if area is None else _("District")
    return render(request, "reports/timeliness.html", context)


@public
def overdue(request: HttpRequest, kato: str | None = None) -> HttpResponse:
    area = _area(kato)
    page = Paginator(selectors.overdue_stats(selectors.prefix_of(area)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "area": area,
        "ancestors": [*ancestors(area), area] if area else [],
        "page": page,
        "today": timezone.localdate(),
    }
    return render(request, "reports/overdue.html", context)


# --- Deadline extensions of promises (the model and the rules live in the programs app) -------------------


@requires("programs.extension_file")
def extension_file(request: HttpRequest, promise_id: int) -> HttpResponse:
    promise = get_object_or_404(Promise.objects.select_related("program__rural_unit"), pk=promise_id)
    unit = promise.program.rural_unit
    access.ensure(request.user, "programs.extension_file", unit)
    form = ExtensionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                promise_extension_file(
                    promise=promise,
                    new_deadline=form.cleaned_data["new_deadline"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The extension is filed; the district supervisor decides."))
                return redirect("reports:unit", unit.kato)
        status = 400
    extensions = list(
        PromiseExtension.objects.filter(
            promise__program__candidacy_id=promise.program.candidacy_id, promise__local_id=promise.local_id
        )
        .select_related("filed_by", "decided_by")
        .order_by("-filed_at")
    )
    context = {"promise": promise, "unit": unit, "form": form, "extensions": extensions}
    return render(request, "reports/extension_file.html", context, status=status)


@requires("programs.extension_decide")
def extensions(request: HttpRequest) -> HttpResponse:
    scope = access.scope_q(
        request.user, "programs.extension_decide", field="promise__program__rural_unit__kato"
    )
    rows = PromiseExtension.objects.select_related("promise__program__rural_unit", "filed_by", "decided_by")
    if scope is not None:
        rows = rows.filter(scope)
    pending_first = Case(
        When(status=ExtensionStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    rows = rows.order_by(pending_first, "-filed_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/extensions.html",
        {"page": page, "form": DecisionForm(), "pending": ExtensionStatus.PENDING},
    )


@requires("programs.extension_decide")
@require_POST
def extension_decide(request: HttpRequest, extension_id: int) -> HttpResponse:
    extension = get_object_or_404(
        PromiseExtension.objects.select_related("promise__program__rural_unit"), pk=extension_id
    )
    access.ensure(request.user, "programs.extension_decide", extension.promise.program.rural_unit)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or refuse."))
        return redirect("reports:extensions")
    try:
        promise_extension_decide(
            extension=extension,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The decision is recorded."))
    return redirect("reports:extensions")
