from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from esep.accounts import services
from esep.accounts.forms import ResidentRegisterForm, RoleAssignForm
from esep.accounts.models import Profile, TwoFactorDevice
from esep.core import ratelimit, totp
from esep.core.access import authenticated, may, public, requires
from esep.core.errors import ApplicationError
from esep.core.models import RoleAssignment

logout = public(auth_views.LogoutView.as_view())

LOCKOUT_WINDOW = 15 * 60
# Failed logins allowed per window: for one account from one address, for one account, from one address.
LOCKOUT_LIMITS = {"account_ip": 5, "account": 20, "ip": 50}
PENDING = "esep_pending_2fa"


def _failure_keys(request: HttpRequest, username: str) -> dict[str, str]:
    ip = ratelimit.client_ip(request)
    name = username.strip().lower()[:150]
    return {"account_ip": f"login:{name}:{ip}", "account": f"login:{name}", "ip": f"login-ip:{ip}"}


def _locked(keys: dict[str, str]) -> bool:
    if not settings.ESEP_RATE_LIMITS:
        return False
    counts = {kind: ratelimit.peek(key, window_seconds=LOCKOUT_WINDOW) for kind, key in keys.items()}
    return any(counts[kind] >= LOCKOUT_LIMITS[kind] for kind in counts)


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@public
def login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request, request.GET.get("next", "")))
    next_url = request.POST.get("next") or request.GET.get("next", "")
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        keys = _failure_keys(request, request.POST.get("username", ""))
        if _locked(keys):
            return ratelimit.too_many(request, ratelimit.seconds_left(LOCKOUT_WINDOW))
        if form.is_valid():
            user = form.get_user()
            if services.needs_second_factor(user):
                request.session[PENDING] = {"user": user.pk, "backend": user.backend, "next": next_url}
                return redirect("accounts:two_factor")
            auth_login(request, user)
            return redirect(_safe_next(request, next_url))
        if settings.ESEP_RATE_LIMITS:
            for key in keys.values():
                ratelimit.hit(key, window_seconds=LOCKOUT_WINDOW)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@public
def two_factor(request: HttpRequest) -> HttpResponse:
    """Second step of an official's login: a TOTP code; the first time, the authenticator is set up here."""
    pending = request.session.get(PENDING)
    user = get_user_model().objects.filter(pk=(pending or {}).get("user"), is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    device = TwoFactorDevice.objects.filter(user=user).first()
    if device is None or (device.confirmed_at is None and request.method != "POST"):
        device = services.two_factor_begin(user=user)
    error = ""
    if request.method == "POST":
        key = f"2fa:{user.pk}"
        if settings.ESEP_RATE_LIMITS and ratelimit.peek(key, window_seconds=LOCKOUT_WINDOW) >= 5:
            return ratelimit.too_many(request, ratelimit.seconds_left(LOCKOUT_WINDOW))
        try:
            services.two_factor_verify(user=user, code=request.POST.get("code", ""), confirm=True)
        except ApplicationError as exc:
            error = exc.message
            if settings.ESEP_RATE_LIMITS:
                ratelimit.hit(key, window_seconds=LOCKOUT_WINDOW)
        else:
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
            return redirect(_safe_next(request, pending.get("next", "")))
    context = {
        "error": error,
        "setting_up": device.confirmed_at is None,
        "secret": " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4)),
        "uri": totp.provisioning_uri(device.secret, account=user.get_username()),
    }
    return render(request, "accounts/two_factor.html", context, status=400 if error else 200)


@authenticated
def me(request: HttpRequest) -> HttpResponse:
    profile = Profile.objects.filter(user=request.user).first()
    iin_error = ""
    if request.method == "POST":
        try:
            services.profile_set_iin(user=request.user, iin=request.POST.get("iin", "")[:20])
        except ApplicationError as exc:
            iin_error = exc.message
        else:
            messages.success(request, _("Your IIN is linked to your account."))
            return redirect("accounts:me")
    assignments = (
        RoleAssignment.objects.filter(user=request.user).select_related("territory").order_by("role")
    )
    context = {
        "assignments": assignments,
        "profile": profile,
        "iin_error": iin_error,
        "perms_manage_roles": may(request.user, "accounts.manage_roles"),
    }
    return render(request, "accounts/me.html", context, status=400 if iin_error else 200)


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
