"""Pages of the programs app: rule sets, the program editor with its live check, the public tracker,
versions with their diffs, summaries and downloads.

Who may draft a program is an object-level question answered by `get_program_for_user`: the candidate of the
candidacy (the signed-in user linked to its person), or the akim and akimat staff of the unit for the sitting
akim's commitments. Every change goes through a service; a program with errors is refused by the service
whatever the page shows.
"""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from esep.core import access
from esep.core.access import authenticated, public, requires, scope_q
from esep.core.errors import ApplicationError
from esep.core.kato import kato_prefix, kato_within
from esep.elections.models import ACTIVE_CANDIDACY, Candidacy, Mandate
from esep.elections.models import OPEN_STATUSES as ELECTION_OPEN
from esep.programs import charts, exports, selectors, services, stats
from esep.programs.diff import program_diff
from esep.programs.drafting import as_check_input, check_for_unit, draft_of
from esep.programs.forms import AmendForm, ProgramEditor, PromiseUpdateForm, RuleSetForm
from esep.programs.models import Program, ProgramStatus, Promise, PromiseStat
from esep.programs.permissions import may_draft_for
from esep.programs.sections import shares
from esep.territory.models import Level, Territory
from esep.territory.selectors import ancestors, territory_get

PAGE_SIZE = 25
KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,15}$")


# --- Rule sets ------------------------------------------------------------------------------------------


@public
def rule_sets(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = Paginator(selectors.rule_set_history(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "in_force": selectors.rule_set_in_force(today),
        "page": page,
        "today": today,
        "may_publish": request.user.is_authenticated and scope_q(request.user, "programs.rules") is None,
    }
    return render(request, "programs/rule_sets.html", context)


@requires("programs.rules")
def rule_set_new(request: HttpRequest) -> HttpResponse:
    # The requirements hold for the whole country: an analyst of one region may not set them.
    if scope_q(request.user, "programs.rules") is not None:
        raise PermissionDenied("programs.rules")
    form = RuleSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule_set = services.rule_set_publish(
                version=form.cleaned_data["version"],
                effective_from=form.cleaned_data["effective_from"],
                parameters=form.parameters(),
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Rule set %(version)s published.") % {"version": rule_set.version})
            return redirect("programs:rule_sets")
    status = 400 if request.method == "POST" else 200
    return render(request, "programs/rule_set_new.html", {"form": form}, status=status)


# --- Who may draft ----------------------------------------------------------------------------------------


def get_program_for_user(request: HttpRequest, program_id: int, *, write: bool = False) -> Program:
    """The program, or 404 for a draft the user may not see, or 403 for a change the user may not make."""
    program = get_object_or_404(
        Program.objects.select_related("candidacy__person", "candidacy__election", "rural_unit"),
        pk=program_id,
    )
    if write or program.status == ProgramStatus.DRAFT:
        if not may_draft_for(request.user, program.candidacy, program.rural_unit):
            if program.status == ProgramStatus.DRAFT and not write:
                raise Http404(program_id)
            raise PermissionDenied("programs.draft")
    return program


def _editor_context(request: HttpRequest, program: Program, editor: ProgramEditor, **extra: object) -> dict:
    return {
        "program": program,
        "editor": editor,
        "unit": program.rural_unit,
        "forecast": sorted(editor.choices.forecast.items()),
        "panel": _panel(program, editor),
        **extra,
    }


def _panel(program: Program, editor: ProgramEditor) -> dict:
    """The live check of what the editor holds now: field problems first, then the checker's findings. An
    editor just opened holds no submitted data: the check is of the saved draft, so a clean draft can be
    published at once (without JavaScript too)."""
    if editor.data is None:
        drafts = [draft_of(promise) for promise in program.promises.all()]
    elif not editor.is_valid():
        return {"problems": editor.problems(), "report": None, "ok": False}
    else:
        drafts = editor.drafts()
    data = as_check_input(
        unit_kato=program.rural_unit.kato,
        term_start=program.term_start,
        term_end=program.term_end,
        promises=drafts,
    )
    try:
        report = check_for_unit(program.rural_unit, data, on=timezone.localdate())
    except ApplicationError as exc:
        return {"problems": [str(exc.message)], "report": None, "ok": False}
    local_by_year: dict[int, int] = {}
    for draft in drafts:
        for line in draft.funding:
            if line.source == "local_budget":
                local_by_year[line.year] = local_by_year.get(line.year, 0) + line.amount_kzt
    rule_set = selectors.rule_set_in_force(timezone.localdate())
    share = float(rule_set.max_local_budget_share) if rule_set is not None else 0.0
    years = sorted(set(editor.choices.forecast) | set(local_by_year))
    budget = [
        {
            "year": year,
            "forecast": editor.choices.forecast.get(year),
            "limit": int(editor.choices.forecast[year] * share) if year in editor.choices.forecast else None,
            "planned": local_by_year.get(year, 0),
        }
        for year in years
        if program.term_start.year <= year <= program.term_end.year or year in local_by_year
    ]
    return {
        "problems": [],
        "report": report,
        "ok": report.ok and bool(drafts),
        "empty": not drafts,
        "budget": budget,
        "share_percent": round(share * 100, 2),
    }


# --- Drafting ------------------------------------------------------------------------------------------


@authenticated
def program_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    """The editor. POST saves (and publishes, with action=publish); without JavaScript the add buttons post
    here too and get the page back with a new row."""
    program = get_program_for_user(request, program_id, write=True)
    if program.status != ProgramStatus.DRAFT:
        messages.info(
            request, _("This version is published and cannot change: amend it to make a new version.")
        )
        return redirect("programs:program", program.pk)
    choices = selectors.editor_choices(program)
    if request.method != "POST":
        program = selectors.program_get(program.pk)
        editor = ProgramEditor(choices=choices, program=program)
        if not editor.rows:
            editor.add_promise(program.term_end)
        return render(request, "programs/edit.html", _editor_context(request, program, editor))
    editor = ProgramEditor(choices=choices, data=request.POST)
    action = request.POST.get("action", "save")
    if action == "add_promise":
        editor.add_promise(program.term_end)
        return render(request, "programs/edit.html", _editor_context(request, program, editor))
    if action.startswith("add_funding:"):
        editor.add_funding(action.split(":", 1)[1])
        return render(request, "programs/edit.html", _editor_context(request, program, editor))
    if not editor.is_valid():
        context = _editor_context(request, program, editor, error=_("Some fields need fixing: see below."))
        return render(request, "programs/edit.html", context, status=400)
    try:
        program = services.program_save_draft(
            program=program, promises=editor.drafts(), summary=editor.summary_value, actor=request.user
        )
    except ApplicationError as exc:
        return render(
            request,
            "programs/edit.html",
            _editor_context(request, program, editor, error=exc.message),
            status=400,
        )
    if action == "publish":
        try:
            services.program_publish(program=program, actor=request.user)
        except ApplicationError as exc:
            program = selectors.program_get(program.pk)
            editor = ProgramEditor(choices=choices, program=program)
            context = _editor_context(
                request, program, editor, error=exc.message, findings=exc.extra.get("findings", [])
            )
            return render(request, "programs/edit.html", context, status=400)
        messages.success(request, _("Version %(version)d is published.") % {"version": program.version})
        return redirect("programs:program", program.pk)
    messages.success(request, _("The draft is saved."))
    return redirect("programs:edit", program.pk)


def _valid_key(value: str | None) -> str:
    if not value or not KEY.match(value):
        raise Http404(value)
    return value


@authenticated
@require_POST
def promise_row(request: HttpRequest, program_id: int) -> HttpResponse:
    """htmx: a new, empty promise row (with one funding row) to append to the editor."""
    program = get_program_for_user(request, program_id, write=True)
    if program.status != ProgramStatus.DRAFT:
        return HttpResponseBadRequest(_("This version is published and cannot change."))
    editor = ProgramEditor(choices=selectors.editor_choices(program))
    row = editor.blank_row(program.term_end)
    return render(request, "programs/_promise_row.html", {"row": row, "program": program, "number": ""})


@authenticated
@require_POST
def funding_row(request: HttpRequest, program_id: int) -> HttpResponse:
    """htmx: a new funding row for the promise `?promise=<key>`."""
    program = get_program_for_user(request, program_id, write=True)
    if program.status != ProgramStatus.DRAFT:
        return HttpResponseBadRequest(_("This version is published and cannot change."))
    promise_key = request.GET.get("promise") or request.POST.get("for")
    if not promise_key or not KEY.match(promise_key):
        return HttpResponseBadRequest(_("Say which promise the line is for."))
    editor = ProgramEditor(choices=selectors.editor_choices(program))
    line = editor.blank_line(promise_key)
    return render(request, "programs/_funding_row.html", {"line": line, "promise_key": promise_key})


@authenticated
@require_POST
def check_panel(request: HttpRequest, program_id: int) -> HttpResponse:
    """htmx: the live check of the editor's current content, without saving it."""
    program = get_program_for_user(request, program_id, write=True)
    editor = ProgramEditor(choices=selectors.editor_choices(program), data=request.POST)
    return render(
        request, "programs/_check_panel.html", {"panel": _panel(program, editor), "program": program}
    )


@authenticated
@require_POST
def program_start(request: HttpRequest, candidacy_id: int) -> HttpResponse:
    candidacy = get_object_or_404(
        Candidacy.objects.select_related("person", "election__rural_unit"), pk=candidacy_id
    )
    if not may_draft_for(request.user, candidacy, candidacy.election.rural_unit):
        raise PermissionDenied("programs.draft")
    try:
        program = services.program_start(candidacy=candidacy, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("programs:mine")
    return redirect("programs:edit", program.pk)


@authenticated
def program_amend(request: HttpRequest, program_id: int) -> HttpResponse:
    program = get_program_for_user(request, program_id, write=True)
    form = AmendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.program_amend(
                program=program, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Version %(version)d is drafted: change it, then publish it.") % {"version": draft.version},
            )
            return redirect("programs:edit", draft.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "programs/amend.html", {"form": form, "program": program}, status=status)


@authenticated
@require_POST
def program_discard(request: HttpRequest, program_id: int) -> HttpResponse:
    program = get_program_for_user(request, program_id, write=True)
    unit = program.rural_unit
    try:
        services.program_discard(program=program, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("programs:program", program.pk)
    messages.success(request, _("The draft is discarded."))
    return redirect("programs:unit", unit.kato)


@authenticated
def my_programs(request: HttpRequest) -> HttpResponse:
    """The programs the user may draft: their own candidacies', and the sitting akim's of the units where
    they are akim or akimat staff."""
    person = getattr(request.user, "person", None)
    candidacies = []
    if person is not None:
        candidacies = list(
            Candidacy.objects.filter(person=person)
            .select_related("election__rural_unit", "party", "person")
            .prefetch_related("programs")
            .order_by("-election__voting_date")
        )
    mandates = []
    where = scope_q(request.user, "programs.draft", field="rural_unit__kato")
    if where is not None:  # a country-wide grant would list every unit: nobody drafts for all of them
        mandates = list(
            Mandate.objects.current()
            .filter(where)
            .select_related("rural_unit", "person", "election")
            .order_by("rural_unit__kato")[:50]
        )
    akim_candidacies = {
        (c.election_id, c.person_id): c
        for c in Candidacy.objects.filter(election_id__in=[m.election_id for m in mandates]).prefetch_related(
            "programs"
        )
    }
    rows = []
    for candidacy in candidacies:  # a person's candidacies: a handful, one query each at most
        running = candidacy.status in ACTIVE_CANDIDACY and candidacy.election.status in ELECTION_OPEN
        may_start = running or services.candidacy_holds_mandate(candidacy)
        rows.append(_row(candidacy, candidacy.election.rural_unit, may_start=may_start))
    seen = {row["candidacy"].pk for row in rows}
    for mandate in mandates:
        candidacy = akim_candidacies.get((mandate.election_id, mandate.person_id))
        if candidacy is not None and candidacy.pk not in seen:
            rows.append(_row(candidacy, mandate.rural_unit, may_start=True, mandate=mandate))
    return render(request, "programs/mine.html", {"rows": rows})


def _row(candidacy: Candidacy, unit: Territory, *, may_start: bool, mandate: Mandate | None = None) -> dict:
    programs = sorted(candidacy.programs.all(), key=lambda p: -p.version)
    return {
        "candidacy": candidacy,
        "unit": unit,
        "mandate": mandate,
        "draft": next((p for p in programs if p.status == ProgramStatus.DRAFT), None),
        "published": next((p for p in programs if p.status == ProgramStatus.PUBLISHED), None),
        "may_start": may_start and not programs,
    }


# --- Public pages ---------------------------------------------------------------------------------------


@public
def unit_tracker(request: HttpRequest, kato: str) -> HttpResponse:
    """The promise tracker of a unit's sitting akim: promises grouped by status, with funding, deadlines,
    overdue markers and timelines; the versions of the program; downloads."""
    unit = territory_get(kato)
    if not (unit.level == Level.UNIT and unit.has_elected_akim):
        raise Http404(kato)
    tracker = selectors.tracker(unit, today=timezone.localdate())
    may_edit = tracker.program is not None and may_draft_for(request.user, tracker.program.candidacy, unit)
    draft = next((v for v in tracker.versions if v.status == ProgramStatus.DRAFT), None)
    context = {
        "unit": unit,
        "ancestors": ancestors(unit),
        "tracker": tracker,
        "may_edit": may_edit,
        "may_update": tracker.program is not None and access.may(request.user, "programs.draft", unit),
        "draft": draft if may_edit else None,
        "chart": charts.promises_by_status({g.status: len(g.promises) for g in tracker.groups}),
    }
    return render(request, "programs/tracker.html", context)


@public
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    """One version: its promises and funding, its check report, and what it changed from the one before."""
    program = get_program_for_user(request, program_id)
    program = selectors.program_get(program.pk)
    previous = selectors.previous_version(program)
    may_edit = may_draft_for(request.user, program.candidacy, program.rural_unit)
    context = {
        "program": program,
        "unit": program.rural_unit,
        "versions": [
            v for v in selectors.program_versions(program) if v.status != ProgramStatus.DRAFT or may_edit
        ],
        "previous": previous,
        "diff": program_diff(previous, program) if previous is not None else None,
        "may_edit": may_edit,
        "is_commitment": program.status == ProgramStatus.PUBLISHED
        and services.candidacy_holds_mandate(program.candidacy),
    }
    return render(request, "programs/program_detail.html", context)


@requires("programs.draft")
def promise_update(request: HttpRequest, promise_id: int) -> HttpResponse:
    """The akim or akimat staff record what happened to a promise (status, progress, spending, evidence)."""
    promise = get_object_or_404(Promise.objects.select_related("program__rural_unit", "power"), pk=promise_id)
    unit = promise.program.rural_unit
    access.ensure(request.user, "programs.draft", unit)
    form = PromiseUpdateForm(
        request.POST or None, initial={"status": promise.status, "progress": promise.progress}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.promise_record_update(
                promise=promise,
                status=data["status"],
                progress=data["progress"],
                spent_kzt=data["spent_kzt"],
                narrative=data["narrative"],
                evidence_note=data["evidence_note"],
                reason=data["reason"],
                actor=request.user,
                source=_("akimat's update"),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The update of %(number)s is recorded.") % {"number": promise.local_id}
            )
            return redirect(reverse("programs:unit", args=[unit.kato]) + f"#promise-{promise.local_id}")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "promise": promise,
        "unit": unit,
        "timeline": selectors.promise_timeline(promise),
    }
    return render(request, "programs/promise_update.html", context, status=status)


def _area(kato: str | None) -> Territory | None:
    if kato is None:
        return None
    territory = territory_get(kato)
    if territory.level == Level.SETTLEMENT or (
        territory.level == Level.UNIT and not territory.has_elected_akim
    ):
        raise Http404(kato)
    return territory


@public
def summary(request: HttpRequest, kato: str | None = None) -> HttpResponse:
    """Shares kept, broken, in progress and overdue, and money by source, for the country, a region or a
    district, with a row per region or district: from the summary table, two queries."""
    territory = _area(kato)
    if territory is not None and territory.level == Level.UNIT:
        return redirect("programs:unit", territory.kato)
    prefix = kato_prefix(territory.kato) if territory is not None else ""
    figures = stats.area_figures(prefix)
    level_field = "region" if territory is None else "district"
    rows = []
    if territory is None or territory.level == Level.REGION:
        grouped = stats.figures_by(level_field, prefix)
        children = Territory.objects.filter(kato__in=list(grouped)).order_by("kato")
        rows = [(child, grouped[child.kato], shares(grouped[child.kato])) for child in children]
    else:
        units = list(
            PromiseStat.objects.filter(kato_within("kato", prefix)).select_related("unit").order_by("kato")
        )
        rows = [(stat.unit, vars(stat), shares(vars(stat))) for stat in units]
    context = {
        "territory": territory,
        "ancestors": ancestors(territory) if territory is not None else [],
        "figures": figures,
        "shares": shares(figures),
        "money": charts.money_by_source(figures),
        "statuses": charts.promises_by_status(figures),
        "rows": rows,
        "unit_rows": territory is not None and territory.level == Level.DISTRICT,
    }
    return render(request, "programs/summary.html", context)


@public
def promises_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """CSV or XLSX of the tracked promises of `?territory=KATO` (a unit, district or region) or the
    country."""
    kato = request.GET.get("territory") or None
    if kato is not None and not re.fullmatch(r"[0-9]{9}", kato):
        return HttpResponseBadRequest(_("Give the territory as a KATO code of 9 digits."))
    territory = _area(kato)
    prefix = kato_prefix(territory.kato) if territory is not None else ""
    filename = (
        f"esep-promises-{territory.kato if territory is not None else 'kz'}-{timezone.localdate():%Y%m%d}"
    )
    today = timezone.localdate()
    if fmt == "xlsx":
        return exports.xlsx_response(prefix, filename=filename, today=today)
    return exports.csv_response(prefix, filename=filename, today=today)
