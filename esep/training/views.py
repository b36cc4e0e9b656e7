from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from esep.core.access import authenticated, may, public, requires
from esep.core.errors import ApplicationError
from esep.core.kato import kato_within
from esep.territory import selectors as territory_selectors
from esep.territory.models import Level, Territory
from esep.training import charts, selectors, services
from esep.training import forms as training_forms
from esep.training.models import (
    AssigneeKind,
    Assignment,
    Enrolment,
    InstructionStatus,
    ProgressReport,
    StaffPosition,
)
from esep.training.permissions import covers, scope_prefixes

PAGE_SIZE = 25
PREVIEW_SIZE = 50


def _page(request: HttpRequest, rows: object, size: int = PAGE_SIZE) -> object:
    return Paginator(rows, size).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- Catalogue, courses, sessions -----------------------------------------------------------------


@public
def catalogue(request: HttpRequest) -> HttpResponse:
    context = {
        "page": _page(request, selectors.catalogue()),
        "modules": selectors.modules(),
        "may_manage": may(request.user, "training.manage"),
        "may_enrol": may(request.user, "training.enrol"),
    }
    return render(request, "training/catalogue.html", context)


@requires("training.manage")
def course_create(request: HttpRequest) -> HttpResponse:
    form = training_forms.CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Course created."))
            return redirect("training:course", code=course.code)
    return _form_page(request, form, _("New course"))


def _form_page(request: HttpRequest, form: forms.Form, title: str, intro: str = "") -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(
        request, "training/form.html", {"form": form, "title": title, "intro": intro}, status=status
    )


@public
def course_detail(request: HttpRequest, code: str) -> HttpResponse:
    course = selectors.course_get(code)
    context = {
        "course": course,
        "page": _page(request, selectors.course_sessions(course)),
        "today": timezone.localdate(),
        "may_manage": may(request.user, "training.manage"),
    }
    return render(request, "training/course.html", context)


@requires("training.manage")
def session_create(request: HttpRequest) -> HttpResponse:
    form = training_forms.SessionForm(request.POST or None, initial={"course": request.GET.get("course", "")})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Session created."))
            return redirect("training:session", session_id=session.pk)
    return _form_page(request, form, _("New session"))


def _session_page(
    request: HttpRequest, session_id: int, *, failed: tuple[int, forms.Form] | None = None
) -> HttpResponse:
    session = selectors.session_get(session_id)
    page = _page(request, selectors.session_enrolments(session))
    may_record = may(request.user, "training.manage")
    context = {
        "session": session,
        "page": page,
        "today": timezone.localdate(),
        "may_record": may_record,
        "may_enrol": may(request.user, "training.enrol"),
        "failed_id": failed[0] if failed else None,
        "failed_form": failed[1] if failed else None,
        # One form per row: no ids, the labels wrap the inputs.
        "completion_form": training_forms.CompletionForm(
            initial={"completed_on": min(session.ends_on, timezone.localdate())}, auto_id=False
        ),
    }
    return render(request, "training/session.html", context, status=400 if failed else 200)


@public
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    return _session_page(request, session_id)


@require_POST
@requires("training.manage")
def enrolment_complete(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("rural_unit"), pk=enrolment_id)
    form = training_forms.CompletionForm(request.POST, auto_id=False)
    if form.is_valid():
        try:
            services.enrolment_complete(enrolment=enrolment, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Result recorded."))
            return redirect("training:session", session_id=enrolment.session_id)
    return _session_page(request, enrolment.session_id, failed=(enrolment.pk, form))


@require_POST
@requires("training.enrol")
def enrolment_withdraw(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("rural_unit"), pk=enrolment_id)
    try:
        services.enrolment_withdraw(enrolment=enrolment, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Enrolment withdrawn."))
    return redirect("training:session", session_id=enrolment.session_id)


# --- Bulk enrolment by a supervisor ---------------------------------------------------------------


def _enrol_candidates(request: HttpRequest, form: training_forms.EnrolFilterForm) -> object:
    """Sitting akims matching the filters inside the supervisor's own territory, not yet in the session."""
    data = form.cleaned_data
    within = data["within"]
    prefixes = scope_prefixes(request.user, "training.enrol")
    if within is not None and not covers(request.user, "training.enrol", within.kato):
        raise PermissionDenied("training.enrol")
    prefix = within.code_prefix if within is not None else ""
    rows = selectors.akims_by_gap(
        prefix,
        required_count=selectors.required_module_count(),
        first_time=training_forms.tristate(data["first_time"]),
        no_civil_service=training_forms.tristate(data["no_civil_service"]),
        lacking=data["lacking"],
    ).exclude(person__training_enrolments__session=data["session"])
    if prefixes is not None and within is None:
        condition = Q(pk__in=[])
        for scope in prefixes:
            condition |= kato_within("rural_unit__kato", scope)
        rows = rows.filter(condition)
    return rows


@requires("training.enrol")
def enrol(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else (request.GET or None)
    form = training_forms.EnrolFilterForm(source)
    context: dict = {"form": form}
    status = 200
    if source is not None and form.is_valid():
        candidates = _enrol_candidates(request, form)
        session = form.cleaned_data["session"]
        if request.method == "POST":
            try:
                result = services.enrolment_bulk_create(
                    session=session, mandates=list(candidates), actor=request.user
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                messages.success(
                    request,
                    _("Enrolled: %(n)d. Already enrolled: %(e)d. Already completed the course: %(c)d.")
                    % {
                        "n": len(result.enrolled),
                        "e": result.already_enrolled,
                        "c": result.already_completed,
                    },
                )
                return redirect("training:session", session_id=session.pk)
        context.update(
            {
                "session": session,
                "count": candidates.count(),
                "preview": list(candidates[:PREVIEW_SIZE]),
                "preview_size": PREVIEW_SIZE,
            }
        )
    elif request.method == "POST":
        status = 400
    return render(request, "training/enrol.html", context, status=status)


# --- Akims ----------------------------------------------------------------------------------------


@public
def akim(request: HttpRequest, person_id: int) -> HttpResponse:
    profile = selectors.akim_profile(person_id)
    return render(request, "training/akim.html", {"profile": profile, "person": profile.person})


@public
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    enrolment = selectors.certificate_get(number)
    return render(request, "training/certificate.html", {"enrolment": enrolment})


def _area(kato: str | None) -> tuple[Territory | None, list[Territory]]:
    if kato is None:
        return None, []
    territory = territory_selectors.territory_get(kato)
    return territory, territory_selectors.ancestors(territory)


@public
def overview(request: HttpRequest, kato: str | None = None) -> HttpResponse:
    """Share of akims trained per module and the akims with the largest gaps, in an area."""
    territory, ancestors = _area(kato)
    if territory is not None and territory.level not in {Level.REGION, Level.DISTRICT}:
        raise Http404(kato)
    prefix = selectors.prefix_of(territory)
    first_time = training_forms.tristate(request.GET.get("first_time", ""))
    no_civil_service = training_forms.tristate(request.GET.get("no_civil_service", ""))
    lacking = next((m for m in selectors.modules() if m.code == request.GET.get("lacking")), None)
    required_count = selectors.required_module_count()
    rows = selectors.akims_by_gap(
        prefix,
        required_count=required_count,
        first_time=first_time,
        no_civil_service=no_civil_service,
        lacking=lacking,
    )
    shares = selectors.module_shares(prefix)
    context = {
        "territory": territory,
        "ancestors": ancestors,
        "shares": shares,
        "akim_count": shares[0].akims if shares else 0,
        "page": _page(request, rows),
        "required_count": required_count,
        "query": _query_without_page(request),
        "filters": {
            "first_time": request.GET.get("first_time", ""),
            "no_civil_service": request.GET.get("no_civil_service", ""),
            "lacking": lacking.code if lacking else "",
        },
        "tristate": training_forms.TRISTATE,
        "all_modules": selectors.modules(),
        "children": selectors.child_territories(territory)
        if territory is None or territory.level == Level.REGION
        else [],
    }
    return render(request, "training/overview.html", context)


# --- Civil-service staff --------------------------------------------------------------------------


@public
def staff(request: HttpRequest, kato: str | None = None) -> HttpResponse:
    territory, ancestors = _area(kato)
    if territory is not None and territory.level == Level.UNIT:
        return _unit_staff_page(request, territory, ancestors)
    if territory is not None and territory.level != Level.REGION and territory.level != Level.DISTRICT:
        raise Http404(kato)
    prefix = selectors.prefix_of(territory)
    length = selectors.child_length(territory)
    counts = selectors.staff_counts_by_prefix(prefix, length)
    children = selectors.child_territories(territory)
    context = {
        "territory": territory,
        "ancestors": ancestors,
        "total": selectors.staff_total(prefix),
        "rows": [
            (child, counts.get(child.code_prefix[:length], selectors.StaffCounts())) for child in children
        ],
        "categories": selectors.staff_by_category(prefix),
        "years": selectors.staff_changes_by_year(prefix),
    }
    context["chart"] = charts.year_chart(context["years"])
    return render(request, "training/staff.html", context)


def _unit_staff_page(
    request: HttpRequest,
    unit: Territory,
    ancestors: list[Territory],
    *,
    bound: dict | None = None,
) -> HttpResponse:
    if not unit.has_elected_akim:
        raise Http404(unit.kato)
    may_edit = covers(request.user, "training.staff", unit.kato)
    context = {
        "territory": unit,
        "ancestors": ancestors,
        "positions": selectors.unit_positions(unit),
        "changes": selectors.unit_changes(unit),
        "akim_post": selectors.akim_post(unit),
        "may_edit": may_edit,
        # Names of the staff are shown to the officials of the unit only; everyone sees the posts.
        "show_names": may_edit,
        "may_set_post": covers(request.user, "training.manage", unit.kato),
        "create_form": training_forms.StaffPositionForm(initial={"on": timezone.localdate()}),
        "post_form": training_forms.AkimPostForm(),
        "today": timezone.localdate(),
        "bound": bound or {},
    }
    if bound and "create" in bound:
        context["create_form"] = bound["create"]
    if bound and "post" in bound:
        context["post_form"] = bound["post"]
    return render(request, "training/staff_unit.html", context, status=400 if bound else 200)


def _unit(kato: str) -> Territory:
    unit = Territory.objects.select_related("parent__parent").filter(kato=kato, has_elected_akim=True).first()
    if unit is None:
        raise Http404(kato)
    return unit


@require_POST
@requires("training.staff")
def staff_position_create(request: HttpRequest, kato: str) -> HttpResponse:
    unit = _unit(kato)
    form = training_forms.StaffPositionForm(request.POST)
    if form.is_valid():
        try:
            services.staff_position_create(unit=unit, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Position added."))
            return redirect("training:staff_area", kato=unit.kato)
    return _unit_staff_page(request, unit, territory_selectors.ancestors(unit), bound={"create": form})


STAFF_ACTIONS = {
    "fill": (
        training_forms.StaffFillForm,
        services.staff_position_fill,
        gettext_lazy("Appointment recorded."),
    ),
    "vacate": (
        training_forms.StaffVacateForm,
        services.staff_position_vacate,
        gettext_lazy("Departure recorded."),
    ),
    "recategorise": (
        training_forms.StaffRecategoriseForm,
        services.staff_position_recategorise,
        gettext_lazy("Category changed."),
    ),
    "abolish": (
        training_forms.StaffAbolishForm,
        services.staff_position_abolish,
        gettext_lazy("Position abolished."),
    ),
}


@require_POST
@requires("training.staff")
def staff_position_action(request: HttpRequest, position_id: int, action: str) -> HttpResponse:
    if action not in STAFF_ACTIONS:
        raise Http404(action)
    position = get_object_or_404(
        StaffPosition.objects.select_related("rural_unit__parent__parent"), pk=position_id
    )
    unit = position.rural_unit
    form_class, service, done = STAFF_ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(position=position, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect("training:staff_area", kato=unit.kato)
    return _unit_staff_page(
        request,
        unit,
        territory_selectors.ancestors(unit),
        bound={"position": position.pk, "action": action, "form": form},
    )


@require_POST
@requires("training.manage")
def akim_post_set(request: HttpRequest, kato: str) -> HttpResponse:
    unit = _unit(kato)
    form = training_forms.AkimPostForm(request.POST)
    if form.is_valid():
        try:
            services.akim_post_set(unit=unit, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Category of the akim's post recorded."))
            return redirect("training:staff_area", kato=unit.kato)
    return _unit_staff_page(request, unit, territory_selectors.ancestors(unit), bound={"post": form})


# --- Instructions ---------------------------------------------------------------------------------


@public
def instruction_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in {None, *InstructionStatus.values}:
        status = None
    overdue = training_forms.tristate(request.GET.get("overdue", ""))
    rows = selectors.instructions(status=status, overdue=overdue)
    context = {
        "page": _page(request, rows),
        "statuses": InstructionStatus.choices,
        "status": status or "",
        "overdue": request.GET.get("overdue", ""),
        "tristate": training_forms.TRISTATE,
        "query": _query_without_page(request),
        "today": timezone.localdate(),
        "may_issue": may(request.user, "instructions.issue"),
    }
    return render(request, "training/instructions.html", context)


@requires("instructions.issue")
def instruction_create(request: HttpRequest) -> HttpResponse:
    form = training_forms.InstructionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assignees = [services.AssigneeSpec(kind=AssigneeKind.BODY, body=body) for body in data["bodies"]]
        assignees += [services.AssigneeSpec(kind=AssigneeKind.REGION, territory=r) for r in data["regions"]]
        assignees += [services.AssigneeSpec(kind=AssigneeKind.AKIM, territory=u) for u in data["akim_units"]]
        try:
            instruction = services.instruction_issue(
                number=data["number"],
                issuer=data["issuer"],
                title_kk=data["title_kk"],
                title_ru=data["title_ru"],
                title_en=data["title_en"],
                text_kk=data["text_kk"],
                text_ru=data["text_ru"],
                text_en=data["text_en"],
                source=data["source"],
                issued_on=data["issued_on"],
                deadline=data["deadline"],
                within_month=data["within_month"],
                assignees=assignees,
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Instruction issued."))
            return redirect("training:instruction", instruction_id=instruction.pk)
    return _form_page(
        request,
        form,
        _("New instruction"),
        _(
            "Within a month: the same day of the next month (the last day of a shorter month); "
            "if that is not a working day, the next working day."
        ),
    )


def _instruction_page(
    request: HttpRequest, instruction_id: int, *, bound: dict | None = None
) -> HttpResponse:
    instruction = selectors.instruction_get(instruction_id)
    assignments = list(instruction.assignments.all())
    user = request.user
    rows = []
    for assignment in assignments:
        rows.append(
            {
                "assignment": assignment,
                "may_report": assignment.status != InstructionStatus.ACCEPTED
                and covers(user, "instructions.report", assignment.kato),
                "may_review": covers(user, "instructions.issue", assignment.kato),
            }
        )
    context = {
        "instruction": instruction,
        "rows": rows,
        "timeline": selectors.timeline(instruction),
        "today": timezone.localdate(),
        "report_form": training_forms.ReportForm(),
        "review_form": training_forms.ReviewForm(),
        "bound": bound or {},
    }
    return render(request, "training/instruction.html", context, status=400 if bound else 200)


@public
def instruction_detail(request: HttpRequest, instruction_id: int) -> HttpResponse:
    return _instruction_page(request, instruction_id)


@require_POST
@requires("instructions.report")
def report_create(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.select_related("territory"), pk=assignment_id)
    form = training_forms.ReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_file(assignment=assignment, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Report filed."))
            return redirect(
                reverse("training:instruction", args=[assignment.instruction_id]) + f"#a{assignment.pk}"
            )
    return _instruction_page(
        request, assignment.instruction_id, bound={"assignment": assignment.pk, "form": form}
    )


@require_POST
@requires("instructions.issue")
def report_review(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_object_or_404(ProgressReport.objects.select_related("assignment"), pk=report_id)
    form = training_forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.report_review(
                report=report,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(
                reverse("training:instruction", args=[report.assignment.instruction_id])
                + f"#a{report.assignment_id}"
            )
    return _instruction_page(
        request, report.assignment.instruction_id, bound={"report": report.pk, "form": form}
    )


@authenticated
def notifications(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.notifications_for(request.user))
    return render(request, "training/notifications.html", {"page": page})
