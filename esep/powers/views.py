import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from esep.core.access import may, public, requires, scope_q
from esep.core.errors import ApplicationError
from esep.core.imports import ImportFailed
from esep.powers import analysis, exports, selectors, services
from esep.powers import forms as power_forms
from esep.powers.catalogue_io import XLSX_TYPE, catalogue_csv, catalogue_xlsx
from esep.powers.models import (
    FindingKind,
    Power,
    PowerLevel,
    PowerStatus,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Sector,
)

PAGE_SIZE = 50
PAIRS_PAGE_SIZE = 25
PROPOSALS_PAGE_SIZE = 25
PERMISSION = "powers.analyse"


def _choice(request: HttpRequest, name: str, choices: type) -> str | None:
    value = request.GET.get(name) or None
    return value if value in choices.values else None


def may_analyse(user: object) -> bool:
    """An analyst or administrator with a country-wide grant: the catalogue and proposals are national."""
    return may(user, PERMISSION) and scope_q(user, PERMISSION) is None


def _ensure_national(request: HttpRequest) -> None:
    if not may_analyse(request.user):
        raise PermissionDenied(PERMISSION)


# --- the catalogue --------------------------------------------------------------------------------------


@public
def catalogue(request: HttpRequest) -> HttpResponse:
    level = _choice(request, "level", PowerLevel)
    sector = _choice(request, "sector", Sector)
    status = _choice(request, "status", PowerStatus)
    query = " ".join(request.GET.get("q", "").split())[:100]
    powers = selectors.power_list(level=level, sector=sector, status=status, query=query)
    page = Paginator(powers, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "page": page,
        "level": level,
        "sector": sector,
        "status": status,
        "query": query,
        "levels": PowerLevel.choices,
        "sectors": Sector.choices,
        "statuses": PowerStatus.choices,
        "filters": filters.urlencode(),
        "may_analyse": may_analyse(request.user),
    }
    template = "powers/_results.html" if request.htmx else "powers/catalogue.html"
    return render(request, template, context)


@public
def catalogue_export(request: HttpRequest, file_format: str) -> HttpResponse:
    powers = Power.objects.order_by("level", "code")
    if file_format == "xlsx":
        response = HttpResponse(catalogue_xlsx(powers), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(catalogue_csv(powers), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="esep-powers.{file_format}"'
    return response


def _form_page(
    request: HttpRequest, form: object, title: str, *, intro: str = "", **extra: object
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": title, "intro": intro, **extra}
    return render(request, "powers/form.html", context, status=status)


@requires(PERMISSION)
def catalogue_import(request: HttpRequest) -> HttpResponse:
    _ensure_national(request)
    form = power_forms.ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload: UploadedFile = form.cleaned_data["file"]
        source = Path(upload.name).name[:100]
        try:
            with tempfile.TemporaryDirectory() as directory:
                target = Path(directory) / f"catalogue{Path(source).suffix.lower()}"
                with open(target, "wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                result = services.catalogue_import(path=target, actor=request.user, source=source)
        except ImportFailed as exc:
            errors = [f"{exc.source}: {error}" for error in exc.errors[:200]]
            form.add_error(
                "file", _("Nothing was imported: the file has %(count)d errors.") % {"count": len(exc.errors)}
            )
        else:
            messages.success(
                request,
                _("Catalogue imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
            for note in result.notes:
                messages.info(request, note)
            return redirect("powers:catalogue")
    return _form_page(
        request,
        form,
        _("Import the catalogue"),
        intro=_(
            "A CSV or XLSX file with the columns of the export. New codes are added, changed rows updated; "
            "nothing is written if any row has an error."
        ),
        errors=errors,
        multipart=True,
    )


@requires(PERMISSION)
def power_create(request: HttpRequest) -> HttpResponse:
    _ensure_national(request)
    form = power_forms.PowerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            power = services.power_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Power %(code)s added.") % {"code": power.code})
            return redirect(f"{reverse('powers:catalogue')}?q={power.code}")
    return _form_page(request, form, _("New power"))


@requires(PERMISSION)
def power_edit(request: HttpRequest, code: str) -> HttpResponse:
    _ensure_national(request)
    power = get_object_or_404(Power, code=code)
    initial = {name: getattr(power, name) for name in power_forms.PowerEditForm.base_fields if name != "code"}
    form = power_forms.PowerEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.power_update(actor=request.user, power=power, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Power %(code)s saved.") % {"code": power.code})
            return redirect(f"{reverse('powers:catalogue')}?q={power.code}")
    return _form_page(request, form, _("Edit the power %(code)s") % {"code": power.code}, power=power)


@requires(PERMISSION)
@require_POST
def power_status(request: HttpRequest, code: str) -> HttpResponse:
    _ensure_national(request)
    power = get_object_or_404(Power, code=code)
    form = power_forms.StatusForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose a status of the list."), status=400)
    services.power_set_status(actor=request.user, power=power, status=form.cleaned_data["status"])
    messages.success(request, _("Status of %(code)s changed.") % {"code": power.code})
    return redirect(f"{reverse('powers:catalogue')}?q={power.code}")


# --- the analysis ---------------------------------------------------------------------------------------


def _params(request: HttpRequest) -> tuple[analysis.Params, power_forms.AnalysisForm]:
    form = power_forms.AnalysisForm(request.GET or None)
    values = {}
    if form.is_bound and form.is_valid():
        values = {name: value for name, value in form.cleaned_data.items() if value is not None}
    return analysis.Params(**values), form


@public
def analysis_page(request: HttpRequest) -> HttpResponse:
    params, form = _params(request)
    result = analysis.analyse(params)
    pairs = Paginator(result.duplicates, PAIRS_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    analyst = may_analyse(request.user)
    context = {
        "result": result,
        "pairs": pairs,
        "form": form,
        "filters": filters.urlencode(),
        "may_analyse": analyst,
        "proposal_counts": selectors.proposal_counts_by_finding() if analyst else {},
        "sector_owners": selectors.sector_owners(),
        "owner_form": power_forms.SectorOwnerForm() if analyst else None,
        "finding_kinds": FindingKind,
    }
    return render(request, "powers/analysis.html", context)


@requires(PERMISSION)
@require_POST
def duplicate_review(request: HttpRequest) -> HttpResponse:
    _ensure_national(request)
    form = power_forms.ReviewForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Confirm or dismiss the pair."), status=400)
    data = form.cleaned_data
    try:
        services.duplicate_review(
            actor=request.user,
            first_code=data["first"],
            second_code=data["second"],
            verdict=data["verdict"],
            comment=data["comment"],
        )
    except ApplicationError as exc:
        return HttpResponse(str(exc.message), status=400)
    if request.htmx:
        context = {
            "pair": analysis.pair_get(data["first"], data["second"]),
            "may_analyse": True,
            "proposal_counts": selectors.proposal_counts_by_finding(),
        }
        return render(request, "powers/_pair.html", context)
    messages.success(request, _("Verdict saved."))
    return redirect(f"{reverse('powers:analysis')}#duplicates")


@requires(PERMISSION)
@require_POST
def sector_owner(request: HttpRequest) -> HttpResponse:
    _ensure_national(request)
    form = power_forms.SectorOwnerForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose a sector and its owner."), status=400)
    data = form.cleaned_data
    try:
        if data["level"]:
            services.sector_owner_set(
                actor=request.user,
                sector=data["sector"],
                level=data["level"],
                body=data["body"],
                note=data["note"],
            )
        else:
            services.sector_owner_clear(actor=request.user, sector=data["sector"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Owner of the sector saved."))
    return redirect(f"{reverse('powers:analysis')}#non-core")


# --- proposals ------------------------------------------------------------------------------------------


@requires(PERMISSION)
def proposal_list(request: HttpRequest) -> HttpResponse:
    status = _choice(request, "status", ProposalStatus)
    kind = _choice(request, "kind", ProposalKind)
    level = _choice(request, "level", PowerLevel)
    proposals = selectors.proposal_list(status=status, kind=kind, level=level)
    page = Paginator(proposals, PROPOSALS_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "page": page,
        "status": status,
        "kind": kind,
        "level": level,
        "statuses": ProposalStatus.choices,
        "kinds": ProposalKind.choices,
        "levels": PowerLevel.choices,
        "filters": filters.urlencode(),
        "may_analyse": may_analyse(request.user),
    }
    return render(request, "powers/proposals.html", context)


@requires(PERMISSION)
def proposal_create(request: HttpRequest) -> HttpResponse:
    _ensure_national(request)
    key = request.GET.get("finding", "")[:200]
    try:
        finding = analysis.finding_get(key)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("powers:analysis")
    kinds = sorted(services.KINDS_BY_FINDING[finding.kind], key=ProposalKind.values.index)
    form = power_forms.ProposalForm(request.POST or None, power_codes=finding.power_codes, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(actor=request.user, finding_key=key, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Proposal made."))
            return redirect("powers:proposal", pk=proposal.pk)
    return _form_page(
        request,
        form,
        _("New proposal"),
        intro=str(FindingKind(finding.kind).label),
        finding=finding,
        evidence_template="powers/_evidence.html",
    )


@requires(PERMISSION)
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(selectors.proposals_with_people(), pk=pk)
    context = {
        "proposal": proposal,
        "finding": proposal,
        "summary": exports.evidence_summary(proposal),
        "decision_form": power_forms.DecisionForm(),
        "may_analyse": may_analyse(request.user),
        "region_names": selectors.region_names(),
    }
    return render(request, "powers/proposal.html", context)


@requires(PERMISSION)
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_national(request)
    proposal = get_object_or_404(Proposal, pk=pk)
    form = power_forms.DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_decide(
                actor=request.user,
                proposal=proposal,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Decision saved."))
            return redirect("powers:proposal", pk=proposal.pk)
    proposal = selectors.proposals_with_people().get(pk=pk)
    context = {
        "proposal": proposal,
        "finding": proposal,
        "summary": exports.evidence_summary(proposal),
        "decision_form": form,
        "may_analyse": True,
    }
    return render(request, "powers/proposal.html", context, status=400)


@requires(PERMISSION)
def proposals_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(exports.proposals_xlsx(exports.accepted_proposals()), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="esep-powers-proposals.xlsx"'
    return response


@requires(PERMISSION)
def proposals_report(request: HttpRequest) -> HttpResponse:
    rows = exports.report_rows(exports.accepted_proposals())
    groups: list[tuple[str, list[exports.ReportRow]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.level_label:
            groups.append((row.level_label, []))
        groups[-1][1].append(row)
    return render(request, "powers/report.html", {"groups": groups, "count": len(rows)})
