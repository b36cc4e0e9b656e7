"""Recall pages: the public list and initiative page, filing and the group, signing, the akim's answer, the
commission's work (registration, paper sheets, verification, certification, the vote), party withdrawals and
the thresholds table. Thin: forms check the input, services the rules, selectors read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from esep.accounts.models import Profile
from esep.core import access
from esep.core.access import authenticated, public, requires
from esep.core.errors import ApplicationError
from esep.core.ratelimit import rate_limited
from esep.elections.models import Mandate
from esep.recall import forms, rules, selectors, services
from esep.recall.models import EvidenceKind, Initiative, PartyWithdrawal, Signature
from esep.recall.services import Cited
from esep.recall.states import ACTIVE_STATES, State, WithdrawalState
from esep.territory.models import Level, Territory
from esep.territory.selectors import ancestors, territory_get

PAGE_SIZE = 25
VERIFY_PAGE_SIZE = 50
# The commission's work list: initiatives waiting for one of its decisions.
COMMISSION_STATES = (
    State.FILED,
    State.COLLECTING,
    State.VERIFICATION,
    State.CERTIFIED_REACHED,
    State.VOTE_SCHEDULED,
)


# --- Helpers -------------------------------------------------------------------------------------------


def _initiative(pk: int) -> Initiative:
    initiative = selectors.initiative_get(pk)
    if initiative is None:
        raise Http404(pk)
    return initiative


def _commission_initiative(request: HttpRequest, pk: int) -> Initiative:
    initiative = _initiative(pk)
    access.ensure(request.user, "recall.commission", initiative.rural_unit)
    return initiative


def _crumbs(unit: Territory) -> list[Territory]:
    return [*ancestors(unit), unit]


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _own_fingerprint(user: object) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Profile.objects.filter(user=user).values_list("iin_fingerprint", flat=True).first()


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


def _detail_context(request: HttpRequest, initiative: Initiative, **given: object) -> dict:
    today = timezone.localdate()
    user = request.user
    unit = initiative.rural_unit
    is_commission = access.may(user, "recall.commission", unit)
    is_member = selectors.is_member(initiative, user)
    own = selectors.signature_of(initiative, _own_fingerprint(user))
    context = {
        "initiative": initiative,
        "unit": unit,
        "ancestors": _crumbs(unit),
        "evidence": selectors.evidence(initiative),
        "timeline": selectors.timeline(initiative),
        "group_size": selectors.group_size(initiative),
        "days_left": initiative.days_left(today),
        "today": today,
        "is_commission": is_commission,
        "is_member": is_member,
        "is_filer": getattr(user, "pk", None) == initiative.filed_by_id,
        "may_join": initiative.state == State.FILED
        and not is_member
        and access.may(user, "recall.initiate", unit),
        "may_answer": initiative.is_active and access.may(user, "recall.answer", unit),
        "own_signature": own if own is not None and own.withdrawn_at is None else None,
        "signing_open": initiative.state == State.COLLECTING,
        "error": given.get("error", ""),
    }
    if initiative.state == State.FILED:
        context["min_group"] = selectors.parameters(today).min_group
    if is_commission and initiative.state == State.FILED:
        context["obstacles"] = selectors.registration_obstacles(initiative, today)
        context["register_form"] = given.get("register_form") or forms.RegisterForm()
        context["refuse_form"] = given.get("refuse_form") or forms.ReasonForm()
    if is_commission and initiative.state == State.VERIFICATION:
        context["verification_counts"] = selectors.verification_counts(initiative)
    if context["may_answer"]:
        context["answer_form"] = given.get("answer_form") or forms.AnswerForm(
            initial={"text": initiative.akim_answer}
        )
    return context


def _detail(
    request: HttpRequest, initiative: Initiative, *, status: int = 200, **given: object
) -> HttpResponse:
    return render(request, "recall/detail.html", _detail_context(request, initiative, **given), status=status)


# --- Public pages --------------------------------------------------------------------------------------


@public
def initiative_list(request: HttpRequest) -> HttpResponse:
    form = forms.ListFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    area = None
    if filters.get("area"):
        area = Territory.objects.filter(kato=filters["area"]).first()
        if area is None:
            form.add_error("area", _("No territory has this KATO code."))
    prefix = area.code_prefix if area is not None else ""
    page = Paginator(
        selectors.initiatives(prefix=prefix, state=filters.get("state") or None), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "area": area,
        "query": _query_without_page(request),
        "counts": selectors.counts_by_state(prefix),
        "today": timezone.localdate(),
    }
    return render(request, "recall/list.html", context, status=400 if form.errors else 200)


@public
def unit_initiatives(request: HttpRequest, kato: str) -> HttpResponse:
    unit = territory_get(kato)
    if unit.level != Level.UNIT or not unit.has_elected_akim:
        raise Http404(kato)
    page = Paginator(selectors.initiatives(prefix=unit.kato), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "ancestors": _crumbs(unit),
        "page": page,
        "query": "",
        "may_file": access.may(request.user, "recall.initiate", unit),
        "today": timezone.localdate(),
    }
    return render(request, "recall/unit.html", context)


@public
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _initiative(pk))


@public
def initiative_count(request: HttpRequest, pk: int) -> HttpResponse:
    """The live count with its progress bar (htmx reloads it every 30 seconds on the initiative page)."""
    initiative = get_object_or_404(Initiative, pk=pk)
    context = {"initiative": initiative, "days_left": initiative.days_left(timezone.localdate())}
    return render(request, "recall/_count.html", context)


@public
def mandate_record(request: HttpRequest, mandate_id: int) -> HttpResponse:
    """The recall record of one akim's mandate: every initiative on it and the party's withdrawals."""
    mandate = get_object_or_404(
        Mandate.objects.select_related("person", "party", "rural_unit"), pk=mandate_id
    )
    context = {
        "mandate": mandate,
        "unit": mandate.rural_unit,
        "ancestors": _crumbs(mandate.rural_unit),
        "initiatives": list(selectors.mandate_initiatives(mandate)),
        "withdrawals": list(PartyWithdrawal.objects.filter(mandate=mandate).select_related("party")),
    }
    return render(request, "recall/mandate.html", context)


# --- Filing and the group ------------------------------------------------------------------------------


@requires("recall.initiate")
def initiative_file(request: HttpRequest, kato: str) -> HttpResponse:
    unit = territory_get(kato)
    if unit.level != Level.UNIT or not unit.has_elected_akim:
        raise Http404(kato)
    access.ensure(request.user, "recall.initiate", unit)
    today = timezone.localdate()
    mandate = Mandate.objects.current().filter(rural_unit=unit).select_related("person").first()
    if mandate is None:
        messages.error(request, _("%(unit)s has no sitting akim.") % {"unit": unit.name})
        return redirect("recall:unit", unit.kato)
    under_way = Initiative.objects.filter(mandate=mandate, state__in=ACTIVE_STATES).first()
    if under_way is not None:
        messages.info(request, _("A recall initiative on this akim is already under way: join or sign it."))
        return redirect("recall:detail", under_way.pk)
    reports_enabled = _reports_enabled()
    form = forms.FilingForm(
        request.POST or None,
        promises=selectors.promise_candidates(mandate, today),
        appeals=selectors.appeal_candidates(unit, today),
        reports_enabled=reports_enabled,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cited = [Cited(EvidenceKind.PROMISE, pk) for pk in data["promises"]]
        cited += [Cited(EvidenceKind.APPEAL, pk) for pk in data["appeals"]]
        cited += [Cited(EvidenceKind.REPORT, pk) for pk in data.get("reports") or []]
        try:
            initiative = services.initiative_file(
                unit=unit, grounds=data["grounds"], evidence=cited, actor=request.user
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("The initiative is filed. Residents of the unit may join its group until registration."),
            )
            return redirect("recall:detail", initiative.pk)
    context = {
        "form": form,
        "unit": unit,
        "mandate": mandate,
        "ancestors": _crumbs(unit),
        "min_group": selectors.parameters(today).min_group,
    }
    return render(request, "recall/file.html", context, status=_status(request))


def _reports_enabled() -> bool:
    from django.apps import apps

    try:
        apps.get_model("reports", "Report")
    except LookupError:
        return False
    return True


def _group_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    initiative = _initiative(pk)
    if action == "join":
        access.ensure(request.user, "recall.initiate", initiative.rural_unit)
    try:
        if action == "join":
            services.initiative_join(initiative=initiative, actor=request.user)
            messages.success(request, _("You joined the initiative group."))
        elif action == "leave":
            services.initiative_leave(initiative=initiative, actor=request.user)
            messages.success(request, _("You left the initiative group."))
        else:
            services.initiative_withdraw(initiative=initiative, actor=request.user)
            messages.success(request, _("The initiative is withdrawn."))
    except ApplicationError as exc:
        return _detail(request, _initiative(pk), status=400, error=str(exc.message))
    return redirect("recall:detail", pk)


@require_POST
@requires("recall.initiate")
def initiative_join(request: HttpRequest, pk: int) -> HttpResponse:
    return _group_action(request, pk, "join")


@require_POST
@authenticated
def initiative_leave(request: HttpRequest, pk: int) -> HttpResponse:
    return _group_action(request, pk, "leave")


@require_POST
@authenticated
def initiative_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _group_action(request, pk, "withdraw")


@require_POST
@requires("recall.answer")
def initiative_answer(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(pk)
    access.ensure(request.user, "recall.answer", initiative.rural_unit)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_answer(
                initiative=initiative, text=form.cleaned_data["text"], actor=request.user
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your answer is published beside the grounds."))
            return redirect("recall:detail", pk)
    return _detail(request, initiative, status=400, answer_form=form)


# --- Signing -------------------------------------------------------------------------------------------


@authenticated
@rate_limited("recall.sign", per_user=10, per_ip=60)
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(pk)
    form = forms.SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signature_sign(initiative=initiative, iin=form.cleaned_data["iin"], signer=request.user)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Your signature is counted. You may withdraw it until signing closes.")
            )
            return redirect("recall:detail", pk)
    context = {
        "initiative": initiative,
        "unit": initiative.rural_unit,
        "ancestors": _crumbs(initiative.rural_unit),
        "form": form,
        "has_iin": bool(_own_fingerprint(request.user)),
        "days_left": initiative.days_left(timezone.localdate()),
    }
    return render(request, "recall/sign.html", context, status=_status(request))


@require_POST
@authenticated
@rate_limited("recall.sign", per_user=10, per_ip=60)
def unsign(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(pk)
    form = forms.UnsignForm(request.POST)
    if not form.is_valid():
        return _detail(request, initiative, status=400, error=_("The IIN has 12 digits."))
    try:
        services.signature_withdraw(initiative=initiative, signer=request.user, iin=form.cleaned_data["iin"])
    except ApplicationError as exc:
        return _detail(request, _initiative(pk), status=400, error=str(exc.message))
    messages.success(request, _("Your signature is withdrawn."))
    return redirect("recall:detail", pk)


# --- The commission ------------------------------------------------------------------------------------


@requires("recall.commission")
def manage(request: HttpRequest) -> HttpResponse:
    scope = access.scope_q(request.user, "recall.commission")
    waiting = Initiative.objects.filter(state__in=COMMISSION_STATES).select_related(
        "rural_unit", "mandate__person"
    )
    withdrawals = selectors.withdrawals(state=WithdrawalState.FILED)
    if scope is not None:
        waiting = waiting.filter(scope)
        withdrawals = withdrawals.filter(scope)
    page = Paginator(waiting.order_by("state", "-filed_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "query": "",
        "withdrawals": list(withdrawals[:50]),
        "today": timezone.localdate(),
    }
    return render(request, "recall/manage.html", context)


@require_POST
@requires("recall.commission")
def initiative_register(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _commission_initiative(request, pk)
    form = forms.RegisterForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_register(
                initiative=initiative,
                actor=request.user,
                signing_opens_on=form.cleaned_data["signing_opens_on"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The initiative is registered."))
            return redirect("recall:detail", pk)
    return _detail(request, _initiative(pk), status=400, register_form=form)


@require_POST
@requires("recall.commission")
def initiative_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _commission_initiative(request, pk)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_refuse(
                initiative=initiative, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Registration is refused."))
            return redirect("recall:detail", pk)
    return _detail(request, _initiative(pk), status=400, refuse_form=form)


@requires("recall.commission")
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _commission_initiative(request, pk)
    sheet_form = forms.PaperSheetForm(request.POST if request.POST.get("form") == "sheet" else None)
    withdrawal_form = forms.InPersonWithdrawalForm(
        request.POST if request.POST.get("form") == "withdrawal" else None
    )
    if request.method == "POST" and sheet_form.is_bound and sheet_form.is_valid():
        try:
            sheet = services.paper_sheet_enter(
                initiative=initiative,
                number=sheet_form.cleaned_data["number"],
                lines=sheet_form.cleaned_data["lines"],
                actor=request.user,
            )
        except ApplicationError as exc:
            sheet_form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Sheet %(number)d entered: %(accepted)d of %(total)d lines accepted.")
                % {"number": sheet.number, "accepted": sheet.lines_accepted, "total": sheet.lines_total},
            )
            return redirect("recall:sheet", pk, sheet.number)
    if request.method == "POST" and withdrawal_form.is_bound and withdrawal_form.is_valid():
        try:
            services.signature_withdraw_in_person(
                initiative=initiative, iin=withdrawal_form.cleaned_data["iin"], actor=request.user
            )
        except ApplicationError as exc:
            withdrawal_form.add_error(None, exc.message)
        else:
            messages.success(request, _("The signature is withdrawn."))
            return redirect("recall:paper", pk)
    page = Paginator(selectors.sheets(initiative), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "initiative": initiative,
        "unit": initiative.rural_unit,
        "ancestors": _crumbs(initiative.rural_unit),
        "sheet_form": sheet_form,
        "withdrawal_form": withdrawal_form,
        "page": page,
        "query": "",
    }
    return render(request, "recall/paper.html", context, status=_status(request))


@requires("recall.commission")
def sheet_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    initiative = _commission_initiative(request, pk)
    sheet = get_object_or_404(initiative.sheets.select_related("entered_by"), number=number)
    context = {
        "initiative": initiative,
        "unit": initiative.rural_unit,
        "ancestors": _crumbs(initiative.rural_unit),
        "sheet": sheet,
        "lines": list(sheet.lines.order_by("line")),
    }
    return render(request, "recall/sheet.html", context)


@requires("recall.commission")
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _commission_initiative(request, pk)
    filter_form = forms.VerifyFilterForm(request.GET or None)
    verification = filter_form.cleaned_data.get("verification") if filter_form.is_valid() else None
    page = Paginator(
        selectors.signatures(initiative, verification=verification or None), VERIFY_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "initiative": initiative,
        "unit": initiative.rural_unit,
        "ancestors": _crumbs(initiative.rural_unit),
        "page": page,
        "query": _query_without_page(request),
        "filter_form": filter_form,
        "counts": selectors.verification_counts(initiative),
        "verify_form": forms.VerifyForm(),
        "open": initiative.state == State.VERIFICATION,
    }
    return render(request, "recall/verify.html", context)


@require_POST
@requires("recall.commission")
def signature_verify(request: HttpRequest, signature_id: int) -> HttpResponse:
    signature = get_object_or_404(
        Signature.private_objects.select_related("initiative__rural_unit"), pk=signature_id
    )
    initiative = signature.initiative
    access.ensure(request.user, "recall.commission", initiative.rural_unit)
    form = forms.VerifyForm(request.POST)
    back = reverse("recall:verify", args=[initiative.pk])
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()) or _("Choose an action."))
        return redirect(back)
    try:
        if form.cleaned_data["action"] == "reject":
            services.signature_reject(
                signature=signature,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
            messages.success(request, _("Signature %(masked)s rejected.") % {"masked": signature.iin_masked})
        else:
            services.signature_accept(signature=signature, actor=request.user)
            messages.success(request, _("Signature %(masked)s is valid.") % {"masked": signature.iin_masked})
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect(back)


@require_POST
@requires("recall.commission")
def certify(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _commission_initiative(request, pk)
    try:
        initiative = services.initiative_certify(initiative=initiative, actor=request.user)
    except ApplicationError as exc:
        return _detail(request, _initiative(pk), status=400, error=str(exc.message))
    if initiative.state == State.CERTIFIED_REACHED:
        messages.success(request, _("The count is certified: the threshold is reached."))
    else:
        messages.success(
            request, _("The count is certified: the threshold is not reached; the initiative closes.")
        )
    return redirect("recall:detail", pk)


@requires("recall.commission")
def vote_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _commission_initiative(request, pk)
    form = forms.VoteScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recall_vote_schedule(
                initiative=initiative, voting_date=form.cleaned_data["voting_date"], actor=request.user
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The recall vote is called."))
            return redirect("recall:detail", pk)
    context = {
        "initiative": initiative,
        "unit": initiative.rural_unit,
        "ancestors": _crumbs(initiative.rural_unit),
        "form": form,
        "title": _("Schedule the recall vote"),
        "button": _("Call the recall vote"),
    }
    return render(request, "recall/vote.html", context, status=_status(request))


@requires("recall.commission")
def vote_result(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _commission_initiative(request, pk)
    form = forms.VoteResultForm(
        request.POST or None, initial={"voters_registered": initiative.rural_unit.voters}
    )
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.recall_vote_result(
                initiative=initiative, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if initiative.state == State.RECALLED:
                messages.success(request, _("The akim is recalled; an early election is called."))
            else:
                messages.success(request, _("The recall vote failed; the akim stays in office."))
            return redirect("recall:detail", pk)
    vote = initiative.recall_vote
    params = selectors.parameters(vote.voting_date) if vote is not None else None
    context = {
        "initiative": initiative,
        "unit": initiative.rural_unit,
        "ancestors": _crumbs(initiative.rural_unit),
        "form": form,
        "title": _("Results of the recall vote"),
        "button": _("Register the results"),
        "min_turnout": rules.percent_text(params.vote_min_turnout) if params else None,
    }
    return render(request, "recall/vote.html", context, status=_status(request))


# --- Party withdrawals ---------------------------------------------------------------------------------


def _officer_scopes(user: object) -> tuple[list[str], list[str | None]]:
    grants = [
        g for g in access.user_grants(user) if g.role in access.roles_for("recall.party") and g.party_code
    ]
    return sorted({g.party_code for g in grants}), [g.scope for g in grants]


@requires("recall.party")
def party(request: HttpRequest) -> HttpResponse:
    codes, scopes = _officer_scopes(request.user)
    nominees = selectors.party_nominees(party_codes=codes, scopes=scopes)
    page = Paginator(nominees, PAGE_SIZE).get_page(request.GET.get("page"))
    filed = selectors.withdrawals().filter(party__code__in=codes)
    context = {"page": page, "query": "", "withdrawals": list(filed[:50]), "codes": codes}
    return render(request, "recall/party.html", context)


@requires("recall.party")
def withdrawal_file(request: HttpRequest, mandate_id: int) -> HttpResponse:
    mandate = get_object_or_404(
        Mandate.objects.select_related("person", "party", "rural_unit"), pk=mandate_id
    )
    access.ensure(request.user, "recall.party", mandate.rural_unit)
    if mandate.party is None or mandate.party.code not in services.officer_parties(
        request.user, mandate.rural_unit
    ):
        raise PermissionDenied
    form = forms.PartyWithdrawalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdrawal = services.party_withdrawal_file(
                mandate=mandate, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The party's decision is filed with the election commission."))
            return redirect("recall:withdrawal", withdrawal.pk)
    context = {
        "form": form,
        "mandate": mandate,
        "unit": mandate.rural_unit,
        "ancestors": _crumbs(mandate.rural_unit),
    }
    return render(request, "recall/withdrawal_file.html", context, status=_status(request))


def _withdrawal(pk: int) -> PartyWithdrawal:
    withdrawal = selectors.withdrawal_get(pk)
    if withdrawal is None:
        raise Http404(pk)
    return withdrawal


def _withdrawal_page(
    request: HttpRequest, withdrawal: PartyWithdrawal, *, status: int = 200, **given
) -> HttpResponse:
    context = {
        "withdrawal": withdrawal,
        "unit": withdrawal.rural_unit,
        "ancestors": _crumbs(withdrawal.rural_unit),
        "is_commission": access.may(request.user, "recall.commission", withdrawal.rural_unit),
        "form": given.get("form") or forms.WithdrawalDecisionForm(),
    }
    return render(request, "recall/withdrawal.html", context, status=status)


@public
def withdrawal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _withdrawal_page(request, _withdrawal(pk))


@public
def withdrawal_document(request: HttpRequest, pk: int) -> FileResponse:
    """The party's decision is a public document once filed."""
    withdrawal = _withdrawal(pk)
    try:
        handle = withdrawal.document.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(pk) from None
    return FileResponse(
        handle,
        content_type="application/pdf",
        filename=f"party-decision-{withdrawal.pk}.pdf",
        as_attachment=False,
    )


@require_POST
@requires("recall.commission")
def withdrawal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    withdrawal = _withdrawal(pk)
    access.ensure(request.user, "recall.commission", withdrawal.rural_unit)
    form = forms.WithdrawalDecisionForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["action"] == "register":
                services.party_withdrawal_register(withdrawal=withdrawal, actor=request.user)
                messages.success(
                    request, _("Registered: the mandate has ended and an early election is called.")
                )
            else:
                services.party_withdrawal_refuse(
                    withdrawal=withdrawal, reason=form.cleaned_data["reason"], actor=request.user
                )
                messages.success(request, _("Registration of the withdrawal is refused."))
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("recall:withdrawal", pk)
    return _withdrawal_page(request, _withdrawal(pk), status=400, form=form)


# --- Thresholds table ----------------------------------------------------------------------------------


@public
def thresholds(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    tables = Paginator(selectors.threshold_tables(), PAGE_SIZE).get_page(request.GET.get("page"))
    in_force = selectors.threshold_table_in_force(today)
    params = selectors.parameters(today)
    context = {
        "page": tables,
        "query": "",
        "in_force": in_force,
        "params": params,
        "share_percent": rules.percent_text(params.signature_share),
        "turnout_percent": rules.percent_text(params.vote_min_turnout),
        "may_publish": access.may(request.user, "recall.thresholds"),
    }
    return render(request, "recall/thresholds.html", context)


@requires("recall.thresholds")
def thresholds_publish(request: HttpRequest) -> HttpResponse:
    form = forms.ThresholdTableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.threshold_table_publish(
                effective_from=form.cleaned_data["effective_from"],
                bands=form.cleaned_data["bands"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The thresholds table is published."))
            return redirect("recall:thresholds")
    return render(request, "recall/thresholds_publish.html", {"form": form}, status=_status(request))
