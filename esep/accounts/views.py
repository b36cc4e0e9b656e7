from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from esep.accounts import services
from esep.accounts.forms import ResidentRegisterForm, RoleAssignForm
from esep.core.access import authenticated, may, public, requires
from esep.core.errors import ApplicationError
from esep.core.models import RoleAssignment

login = public(
    auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)
)
logout = public(auth_views.LogoutView.as_view())


@authenticated
def me(request: HttpRequest) -> HttpResponse:
    assignments = (
        RoleAssignment.objects.filter(user=request.user).select_related("territory").order_by("role")
    )
    context = {"assignments": assignments, "perms_manage_roles": may(request.user, "accounts.manage_roles")}
    return render(request, "accounts/me.html", context)


@requires("accounts.manage_roles")
def roles(request: HttpRequest) -> HttpResponse:
    form = RoleAssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign(
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                territory=form.cleaned_data["territory"],
                party_code=form.cleaned_data["party_code"],
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Role assigned."))
            return redirect("accounts:roles")
    assignments = RoleAssignment.objects.select_related("user", "territory").order_by("-granted_at", "-pk")
    page = Paginator(assignments, 50).get_page(request.GET.get("page"))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/roles.html", {"form": form, "page": page}, status=status)


@require_POST
@requires("accounts.manage_roles")
def role_revoke(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user", "territory"), pk=assignment_id
    )
    services.role_revoke(assignment=assignment, actor=request.user)
    messages.success(request, _("Role revoked."))
    return redirect("accounts:roles")


@public
def register(request: HttpRequest) -> HttpResponse:
    form = ResidentRegisterForm(request.POST or None, initial={"unit": request.GET.get("unit", "")[:9]})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.resident_register(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
                unit=form.cleaned_data["unit"],
                iin=form.cleaned_data["iin"],
                phone=form.cleaned_data["phone"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Esep."))
            return redirect("accounts:me")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/register.html", {"form": form}, status=status)
