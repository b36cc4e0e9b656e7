"""Pages of the gateway: the look-up form bound to a request (akimat staff) and "who looked at my data"."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from esep.appeals.selectors import appeal_get
from esep.core.access import authenticated, may, requires
from esep.core.errors import ApplicationError
from esep.registries import selectors
from esep.registries.forms import LookupForm
from esep.registries.purposes import FIELD_LABELS, PURPOSES
from esep.registries.services import LookupRefused, registry_lookup

PAGE_SIZE = 25


@requires("registries.lookup")
def lookup(request: HttpRequest, number: str) -> HttpResponse:
    appeal = appeal_get(number)
    form = LookupForm(request.POST or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        purpose = PURPOSES[form.cleaned_data["purpose"]]
        try:
            result = registry_lookup(
                actor=request.user,
                appeal=appeal,
                register=purpose.register,
                purpose=purpose.code,
                subject_iin=form.cleaned_data["iin"],
                cadastral_number=form.cleaned_data["cadastral_number"],
            )
        except LookupRefused as exc:
            form.add_error(None, exc.message)
            status = 403
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = 400
    elif request.method == "POST":
        status = 400
    if not may(request.user, "registries.lookup", appeal.kato):
        # The refusal above is recorded; the page itself shows nothing of another unit's request.
        if status == 403:
            return render(request, "registries/refused.html", {"form": form}, status=403)
        raise Http404(number)
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
