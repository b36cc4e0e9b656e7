from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from esep.core.access import public, requires, scope_q
from esep.core.errors import ApplicationError
from esep.programs import selectors, services
from esep.programs.forms import RuleSetForm

PAGE_SIZE = 25


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
