"""Pages of the elections app: akims, their profiles, elections, and the commission's workflow.

Public pages read through selectors with a fixed number of queries; the commission's pages check the
election's own unit with `access.ensure`, and every change goes through a service.
"""

import mimetypes
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from esep.core import access
from esep.core.access import authenticated, public, requires
from esep.core.errors import ApplicationError
from esep.elections import charts, forms, rules, selectors, services
from esep.elections.models import (
    OPEN_STATUSES,
    PHOTO_FOLDER,
    Candidacy,
    CandidacyStatus,
    Election,
    ElectionKind,
    ElectionStatus,
    Mandate,
    Party,
    Person,
)
from esep.territory.models import Level, Territory
from esep.territory.selectors import ancestors, territory_get

PAGE_SIZE = 50


# --- Helpers -------------------------------------------------------------------------------------------


def _area(kato: str | None) -> Territory | None:
    """The country (None), a region or a district: the areas that have lists and figures of akims."""
    if kato is None:
        return None
    territory = territory_get(kato)
    if territory.level not in (Level.REGION, Level.DISTRICT):
        raise Http404(kato)
    return territory


def _elected_unit(kato: str) -> Territory:
    unit = territory_get(kato)
    if not unit.has_elected_akim:
        raise Http404(kato)
    return unit


def _officer_parties(user: object, unit: Territory) -> list[str]:
    """The parties for which `user` nominates candidates in `unit` (party officers' grants)."""
    roles = access.roles_for("elections.nominate")
    return sorted(
        {
            g.party_code
            for g in access.user_grants(user)
            if g.role in roles and g.party_code and g.covers(unit.kato)
        }
    )


def _program_url(kato: str) -> str | None:
    try:
        return reverse("programs:unit", args=[kato])
    except NoReverseMatch:
        return None


def _training_url(person_id: int) -> str | None:
    try:
        return reverse("training:akim", args=[person_id])
    except NoReverseMatch:
        return None


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _composition_charts(corps: selectors.Composition) -> list[charts.Chart]:
    if not corps.akims_in_office:
        return []
    return [
        charts.bar_chart(
            "by-party",
            _("Akims by nominating party"),
            [(share.name, share.akims, share.share) for share in corps.by_party],
            value_title=_("akims"),
        ),
        charts.bar_chart(
            "by-age",
            _("Akims by age"),
            [(group.label, group.akims, group.share) for group in corps.age_groups],
            value_title=_("akims"),
        ),
    ]


# --- Public pages --------------------------------------------------------------------------------------


@public
def akim_list(request: HttpRequest, kato: str | None = None) -> HttpResponse:
    territory = _area(kato)
    parties = list(Party.objects.order_by("code"))
    form = forms.AkimFilterForm(request.GET or None, parties=parties)
    filters = form.cleaned_data if form.is_valid() else {}
    mandates = selectors.akims(
        prefix=selectors.prefix_of(territory),
        party=filters.get("party") or None,
        first_time=filters.get("first_time"),
        no_civil_service=filters.get("no_civil_service"),
    )
    page = Paginator(mandates, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "territory": territory,
        "ancestors": [*ancestors(territory), territory] if territory else [],
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "today": timezone.localdate(),
    }
    return render(request, "elections/akim_list.html", context, status=400 if form.errors else 200)


@public
def composition(request: HttpRequest, kato: str | None = None) -> HttpResponse:
    territory = _area(kato)
    corps = selectors.composition(territory)
    context = {
        "territory": territory,
        "ancestors": [*ancestors(territory), territory] if territory else [],
        "corps": corps,
        "charts": _composition_charts(corps),
    }
    template = "elections/_composition.html" if request.htmx else "elections/composition.html"
    return render(request, template, context)


def _may_edit_person(user: object, person: Person, current: Mandate | None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if person.user_id and person.user_id == user.pk:
        return True
    if current is not None:
        return access.may(user, "elections.manage", current.rural_unit)
    return access.scope_q(user, "elections.manage") is None and access.may(user, "elections.manage")


@public
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(person_id)
    mandates = list(person.mandates.all())
    current = next((m for m in mandates if m.ended_on is None), None)
    context = {
        "person": person,
        "mandates": mandates,
        "current": current,
        "candidacies": list(person.candidacies.all()),
        "program_url": _program_url(current.rural_unit.kato) if current else None,
        # Training follows the person across mandates, so a former akim keeps the link.
        "training_url": _training_url(person.pk) if mandates else None,
        "may_edit": _may_edit_person(request.user, person, current),
        "may_end": current is not None and access.may(request.user, "elections.manage", current.rural_unit),
    }
    return render(request, "elections/person_detail.html", context)


def _timeline(election: Election, today: date) -> list[tuple[str, date, bool]]:
    steps = [
        (_("Election called"), election.called_on),
        (_("Nomination closes"), election.nomination_closes),
        (_("Registration of candidates closes"), election.registration_closes),
        (_("Voting day"), election.voting_date),
    ]
    if election.kind == ElectionKind.RECALL:
        steps = [steps[0], steps[-1]]
    result = getattr(election, "result", None)
    if result is not None:
        steps.append((_("Results registered"), result.certified_on))
    return [(label, day, day <= today) for label, day in steps]


def _election_page(
    request: HttpRequest, election_id: int, *, error: str = "", status: int = 200, form: object = None
) -> HttpResponse:
    election = selectors.election_get(election_id)
    unit = election.rural_unit
    candidacies = list(election.candidacies.all())
    result = getattr(election, "result", None)
    chart = None
    if result is not None and election.kind != ElectionKind.RECALL:
        ranked = [c for c in candidacies if c.votes is not None]
        chart = charts.bar_chart(
            "votes",
            _("Votes by candidate"),
            [
                (
                    c.person.display_name,
                    c.votes,
                    c.votes / result.valid_ballots if result.valid_ballots else None,
                )
                for c in ranked
            ],
            value_title=_("votes"),
            highlight=result.winner.person.display_name if result.winner_id else None,
        )
    manage = access.may(request.user, "elections.manage", unit)
    next_status = services.next_status(election) if manage else None
    context = {
        "election": election,
        "unit": unit,
        "ancestors": [*ancestors(unit), unit],
        "candidacies": candidacies,
        "result": result,
        "chart": chart,
        "timeline": _timeline(election, timezone.localdate()),
        "manage": manage,
        "next_status": next_status,
        "recalled": result is not None
        and election.kind == ElectionKind.RECALL
        and rules.recall_succeeds(result.recall_votes_for or 0, result.ballots_cast),
        "next_status_label": ElectionStatus(next_status).label if next_status else "",
        "may_nominate": election.is_open and (manage or bool(_officer_parties(request.user, unit))),
        "error": error,
        "decision_form": form or forms.DecisionForm(),
        "cancel_form": forms.CancelForm(),
    }
    return render(request, "elections/election_detail.html", context, status=status)


@public
def election_detail(request: HttpRequest, election_id: int) -> HttpResponse:
    return _election_page(request, election_id)


@public
def unit_elections(request: HttpRequest, kato: str) -> HttpResponse:
    unit = _elected_unit(kato)
    page = Paginator(selectors.elections(prefix=unit.kato), PAGE_SIZE).get_page(request.GET.get("page"))
    mandates = list(
        Mandate.objects.filter(rural_unit=unit)
        .select_related("person", "party")
        .order_by("-starts_on")[:PAGE_SIZE]
    )
    context = {
        "unit": unit,
        "ancestors": [*ancestors(unit), unit],
        "page": page,
        "mandates": mandates,
        "manage": access.may(request.user, "elections.manage", unit),
    }
    return render(request, "elections/unit_elections.html", context)


@public
def party_list(request: HttpRequest) -> HttpResponse:
    parties = Party.objects.order_by("-is_registered", "code")
    context = {"parties": parties, "may_edit": access.may(request.user, "elections.edit_parties")}
    return render(request, "elections/party_list.html", context)


# --- Parties and persons -------------------------------------------------------------------------------


@requires("elections.edit_parties")
def party_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    party = get_object_or_404(Party, code=code) if code else None
    initial = (
        {
            "code": party.code,
            "name_kk": party.name_kk,
            "name_ru": party.name_ru,
            "name_en": party.name_en,
            "is_registered": party.is_registered,
        }
        if party
        else None
    )
    form = forms.PartyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if party is None and Party.objects.filter(code=data["code"].upper()).exists():
            form.add_error("code", _("A party with this code exists already."))
        else:
            try:
                services.party_save(
                    **{**data, "code": party.code if party else data["code"]}, actor=request.user
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Party saved."))
                return redirect("elections:parties")
    status = 400 if request.method == "POST" else 200
    return render(request, "elections/party_form.html", {"form": form, "party": party}, status=status)


@authenticated
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("party"), pk=person_id)
    current = Mandate.objects.current().filter(person=person).select_related("rural_unit").first()
    if not _may_edit_person(request.user, person, current):
        raise PermissionDenied
    initial = {
        "full_name": person.full_name,
        "education": person.education,
        "civil_service_years": person.civil_service_years,
        "biography": person.biography,
        "party": person.party,
    }
    form = forms.PersonForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, **form.cleaned_data, actor=request.user)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("elections:person", person.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "elections/person_form.html", {"form": form, "person": person}, status=status)


# --- The commission's workflow -------------------------------------------------------------------------


@requires("elections.manage")
def manage(request: HttpRequest) -> HttpResponse:
    scope = access.scope_q(request.user, "elections.manage", field="rural_unit__kato")
    open_elections = selectors.elections().filter(status__in=OPEN_STATUSES)
    if scope is not None:
        open_elections = open_elections.filter(scope)
    page = Paginator(open_elections, PAGE_SIZE).get_page(request.GET.get("page"))
    kato = request.GET.get("unit", "").strip()
    error = ""
    if kato:
        unit = Territory.objects.filter(kato=kato, has_elected_akim=True).first()
        if unit is None:
            error = _("No rural unit with an elected akim has this KATO code.")
        elif not access.may(request.user, "elections.manage", unit):
            error = _("This unit is outside your territory.")
        else:
            return redirect("elections:unit", unit.kato)
    return render(
        request,
        "elections/manage.html",
        {"page": page, "unit_code": kato, "error": error},
        status=400 if error else 200,
    )


@requires("elections.manage")
def election_call(request: HttpRequest, kato: str) -> HttpResponse:
    unit = _elected_unit(kato)
    access.ensure(request.user, "elections.manage", unit)
    sitting = selectors.current_mandate(unit)
    form = forms.ElectionCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            election = services.election_call(
                unit=unit,
                kind=kind,
                voting_date=form.cleaned_data["voting_date"],
                recall_of=sitting if kind == ElectionKind.RECALL else None,
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Election called."))
            return redirect("elections:election", election.pk)
    context = {"form": form, "unit": unit, "sitting": sitting, "ancestors": [*ancestors(unit), unit]}
    return render(
        request, "elections/election_call.html", context, status=400 if request.method == "POST" else 200
    )


def _managed_election(request: HttpRequest, election_id: int) -> Election:
    election = get_object_or_404(Election.objects.select_related("rural_unit"), pk=election_id)
    access.ensure(request.user, "elections.manage", election.rural_unit)
    return election


@require_POST
@requires("elections.manage")
def election_advance(request: HttpRequest, election_id: int) -> HttpResponse:
    election = _managed_election(request, election_id)
    try:
        services.election_advance(election=election, actor=request.user)
    except ApplicationError as exc:
        return _election_page(request, election.pk, error=str(exc.message), status=400)
    messages.success(request, _("The election moved to its next stage."))
    return redirect("elections:election", election.pk)


@require_POST
@requires("elections.manage")
def election_cancel(request: HttpRequest, election_id: int) -> HttpResponse:
    election = _managed_election(request, election_id)
    form = forms.CancelForm(request.POST)
    if not form.is_valid():
        return _election_page(
            request, election.pk, error=_("Give the reason for cancelling the election."), status=400
        )
    try:
        services.election_cancel(election=election, reason=form.cleaned_data["reason"], actor=request.user)
    except ApplicationError as exc:
        return _election_page(request, election.pk, error=str(exc.message), status=400)
    messages.success(request, _("Election cancelled."))
    return redirect("elections:election", election.pk)


@authenticated
def nominate(request: HttpRequest, election_id: int) -> HttpResponse:
    election = get_object_or_404(Election.objects.select_related("rural_unit"), pk=election_id)
    unit = election.rural_unit
    manages = access.may(request.user, "elections.manage", unit)
    parties = [] if manages else _officer_parties(request.user, unit)
    if not manages and not parties:
        raise PermissionDenied
    form = forms.NominationForm(request.POST or None, party_codes=None if manages else parties)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.candidate_nominate(election=election, **data, actor=request.user)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Candidate nominated."))
            return redirect("elections:election", election.pk)
    context = {"form": form, "election": election, "unit": unit, "ancestors": [*ancestors(unit), unit]}
    return render(
        request, "elections/nominate.html", context, status=400 if request.method == "POST" else 200
    )


@require_POST
@requires("elections.manage")
def candidacy_decide(request: HttpRequest, candidacy_id: int) -> HttpResponse:
    candidacy = get_object_or_404(Candidacy.objects.select_related("election__rural_unit"), pk=candidacy_id)
    election = candidacy.election
    access.ensure(request.user, "elections.manage", election.rural_unit)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        return _election_page(request, election.pk, form=form, status=400)
    action = form.cleaned_data["action"]
    try:
        if action == "register":
            services.candidacy_register(candidacy=candidacy, actor=request.user)
        elif action == "refuse":
            services.candidacy_refuse(
                candidacy=candidacy, reason=form.cleaned_data["reason"], actor=request.user
            )
        else:
            services.candidacy_withdraw(candidacy=candidacy, actor=request.user)
    except ApplicationError as exc:
        return _election_page(request, election.pk, error=str(exc.message), status=400)
    messages.success(request, _("Decision recorded."))
    return redirect("elections:election", election.pk)


@requires("elections.manage")
def results(request: HttpRequest, election_id: int) -> HttpResponse:
    election = _managed_election(request, election_id)
    recall = election.kind == ElectionKind.RECALL
    registered = list(
        election.candidacies.filter(status=CandidacyStatus.REGISTERED).select_related("person").order_by("pk")
    )
    form = forms.ResultForm(request.POST or None, candidacies=registered, recall=recall)
    if request.method == "POST" and form.is_valid():
        figures = {
            "voters_registered": form.cleaned_data["voters_registered"],
            "ballots_cast": form.cleaned_data["ballots_cast"],
            "invalid_ballots": form.cleaned_data["invalid_ballots"],
        }
        try:
            if recall:
                services.recall_result_register(
                    election=election,
                    votes_for_recall=form.cleaned_data["votes_for_recall"],
                    actor=request.user,
                    **figures,
                )
            else:
                services.election_result_register(
                    election=election, votes=form.votes(), actor=request.user, **figures
                )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Results registered."))
            return redirect("elections:election", election.pk)
    unit = election.rural_unit
    context = {"form": form, "election": election, "unit": unit, "ancestors": [*ancestors(unit), unit]}
    return render(
        request, "elections/results_form.html", context, status=400 if request.method == "POST" else 200
    )


@requires("elections.manage")
def mandate_end(request: HttpRequest, mandate_id: int) -> HttpResponse:
    mandate = get_object_or_404(
        Mandate.objects.select_related("rural_unit", "person", "party"), pk=mandate_id
    )
    access.ensure(request.user, "elections.manage", mandate.rural_unit)
    form = forms.MandateEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_end(
                mandate=mandate,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["ended_on"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The mandate has ended."))
            return redirect("elections:unit", mandate.rural_unit.kato)
    unit = mandate.rural_unit
    context = {"form": form, "mandate": mandate, "unit": unit, "ancestors": [*ancestors(unit), unit]}
    return render(
        request, "elections/mandate_end.html", context, status=400 if request.method == "POST" else 200
    )


@public
@require_GET
def person_photo(request: HttpRequest, name: str) -> FileResponse:
    """A candidate's or akim's photo, public like their name. Only a file a person's record points to is
    served (the name is looked up, never joined to a path), so nothing else under the media folder is
    reachable here; residents' photos and evidence go through their own views with their access checks."""
    person = Person.objects.filter(photo=f"{PHOTO_FOLDER}{name}").only("photo").first()
    if person is None or not person.photo.storage.exists(person.photo.name):
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(person.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
