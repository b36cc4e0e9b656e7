"""Pages of the gateway: the look-up form bound to a request (akimat staff) and "who looked at my data"."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from esep.core.access import authenticated, may
from esep.core.errors import ApplicationError
from esep.registries import selectors
from esep.registries.forms import LookupForm
from esep.registries.purposes import FIELD_LABELS, PURPOSES
from esep.registries.services import LOOKUP, LookupRefused, registry_lookup

PAGE_SIZE = 25


def _not_theirs(user: object, number: str) -> Exception:
    """403 for one who may look up nowhere, 404 for a request that is not of their unit or does not exist."""
    return Http404(number) if may(user, LOOKUP) else PermissionDenied(LOOKUP)


@authenticated
def lookup(request: HttpRequest, number: str) -> HttpResponse:
    # Signed in is enough to reach the service, which records and audits every refused attempt.
    appeal = selectors.appeal_cited(number)
    visible = appeal is not None and may(request.user, LOOKUP, appeal.kato)
    if request.method != "POST" and not visible:
        raise _not_theirs(request.user, number)  # opening the form asks no register: nothing to record
    form = LookupForm(request.POST or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        purpose = PURPOSES[form.cleaned_data["purpose"]]
        try:
            result = registry_lookup(
                actor=request.user,
                appeal=appeal,
                appeal_number=number,
                register=purpose.register,
                purpose=purpose.code,
                subject_iin=form.cleaned_data["iin"],
                cadastral_number=form.cleaned_data["cadastral_number"],
            )
        except LookupRefused as exc:
            form.add_error(None, exc.message)
            if not visible:
                # Recorded; the page names the refusal and shows nothing of the request.
                return render(request, "registries/refused.html", {"form": form}, status=exc.status)
            status = exc.status
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = 400
    elif request.method == "POST":
        status = 400
    if not visible:
        raise _not_theirs(request.user, number)
    rows = []
    if result is not None:
        rows = [
            [(FIELD_LABELS.get(name, name), value) for name, value in record.items()]
            for record in result.records
        ]
    context = {
        "appeal": appeal,
        "form": form,
        "result": result,
        "rows": rows,
        "trail": selectors.lookups_for_appeal(appeal),
        "purposes": PURPOSES.values(),
    }
    return render(request, "registries/lookup.html", context, status=status)


@authenticated
def mine(request: HttpRequest) -> HttpResponse:
    fingerprint = selectors.fingerprint_of(request.user)
    page = None
    if fingerprint:
        page = Paginator(selectors.lookups_of_person(fingerprint), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        names = selectors.unit_names([row.kato for row in page])
        mine = selectors.my_request_numbers(request.user, [row.appeal_number for row in page])
        for row in page:
            row.unit_name = names.get(row.kato, row.kato)
            row.is_mine = row.appeal_number in mine
            purpose = PURPOSES.get(row.purpose)
            row.purpose_label = purpose.label if purpose is not None else ""
            row.field_labels = [FIELD_LABELS.get(name, name) for name in row.fields]
    context = {"page": page, "has_iin": bool(fingerprint), "title": _("Who looked at my data")}
    return render(request, "registries/mine.html", context)
