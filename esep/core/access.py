"""Who may do what, where. Every view declares its access; object checks go through `ensure`.

Scopes are KATO prefixes: a grant in a district covers every unit and settlement whose code starts with
the district's four digits. A grant with no territory covers the whole country.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from esep.core.kato import kato_prefix, kato_within
from esep.core.models import Role, RoleAssignment

R = Role
# permission -> roles that hold it. A new capability adds its permissions here, in one place.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin.site": frozenset({R.ADMINISTRATOR}),
    "accounts.manage_roles": frozenset({R.ADMINISTRATOR}),
    "audit.view": frozenset({R.ADMINISTRATOR, R.ANALYST}),
    "territory.edit_figures": frozenset({R.COMMISSION, R.ADMINISTRATOR}),
    "territory.supervise": frozenset({R.DISTRICT_SUPERVISOR, R.REGION_SUPERVISOR, R.ADMINISTRATOR}),
    "appeals.handle": frozenset({R.AKIM, R.AKIMAT_STAFF}),
    "appeals.supervise": frozenset({R.DISTRICT_SUPERVISOR, R.REGION_SUPERVISOR}),
    "appeals.inbox": frozenset({R.AKIM, R.AKIMAT_STAFF, R.DISTRICT_SUPERVISOR, R.REGION_SUPERVISOR}),
    "registries.lookup": frozenset({R.AKIMAT_STAFF}),
    "elections.manage": frozenset({R.COMMISSION, R.ADMINISTRATOR}),
    "elections.nominate": frozenset({R.PARTY_OFFICER}),
    "elections.edit_parties": frozenset({R.ADMINISTRATOR}),
    "programs.rules": frozenset({R.ANALYST, R.ADMINISTRATOR}),
    "powers.analyse": frozenset({R.ANALYST, R.ADMINISTRATOR}),
    "programs.draft": frozenset({R.AKIM, R.AKIMAT_STAFF}),
    "programs.extension_file": frozenset({R.AKIM}),
    "programs.extension_decide": frozenset({R.DISTRICT_SUPERVISOR}),
    "reports.write": frozenset({R.AKIM, R.AKIMAT_STAFF}),
    "reports.rate": frozenset({R.RESIDENT}),
    "reports.moderate": frozenset({R.DISTRICT_SUPERVISOR, R.ADMINISTRATOR}),
    "training.manage": frozenset({R.ANALYST, R.ADMINISTRATOR}),
    "training.enrol": frozenset({R.DISTRICT_SUPERVISOR, R.REGION_SUPERVISOR, R.ADMINISTRATOR}),
    "training.staff": frozenset(
        {R.AKIM, R.AKIMAT_STAFF, R.DISTRICT_SUPERVISOR, R.REGION_SUPERVISOR, R.ADMINISTRATOR}
    ),
    "instructions.issue": frozenset({R.ANALYST, R.ADMINISTRATOR}),
    "instructions.report": frozenset(
        {R.AKIM, R.AKIMAT_STAFF, R.DISTRICT_SUPERVISOR, R.REGION_SUPERVISOR, R.ANALYST, R.ADMINISTRATOR}
    ),
    "recall.initiate": frozenset({R.RESIDENT}),
    "recall.answer": frozenset({R.AKIM}),
    "recall.commission": frozenset({R.COMMISSION}),
    "recall.party": frozenset({R.PARTY_OFFICER}),
    "recall.thresholds": frozenset({R.ANALYST, R.ADMINISTRATOR}),
}


@dataclass(frozen=True)
class Grant:
    role: str
    scope: str | None  # KATO prefix, or None for the whole country
    party_code: str = ""

    def covers(self, kato: str | None) -> bool:
        return self.scope is None or (kato is not None and kato.startswith(self.scope))


def user_grants(user: Any) -> list[Grant]:
    """The user's grants, read once per request and cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_esep_grants", None)
    if cached is None:
        cached = [
            Grant(
                role=assignment.role,
                scope=kato_prefix(assignment.territory.kato) if assignment.territory_id else None,
                party_code=assignment.party_code,
            )
            for assignment in RoleAssignment.objects.filter(user=user).select_related("territory")
        ]
        user._esep_grants = cached
    return cached


def forget_grants(user: Any) -> None:
    user.__dict__.pop("_esep_grants", None)


def roles_for(permission: str) -> frozenset[str]:
    try:
        return PERMISSIONS[permission]
    except KeyError:
        raise LookupError(
            f"unknown permission {permission!r}: declare it in esep.core.access.PERMISSIONS"
        ) from None


def has_role(user: Any, role: str, territory: Any = None) -> bool:
    kato = getattr(territory, "kato", territory)
    return any(g.role == role and (territory is None or g.covers(kato)) for g in user_grants(user))


def may(user: Any, permission: str, territory: Any = None) -> bool:
    """May `user` use `permission` in `territory` (a Territory, a KATO code, or None for 'anywhere')?"""
    allowed = roles_for(permission)
    kato = getattr(territory, "kato", territory)
    return any(g.role in allowed and (territory is None or g.covers(kato)) for g in user_grants(user))


def ensure(user: Any, permission: str, territory: Any = None) -> None:
    if not may(user, permission, territory):
        raise PermissionDenied(permission)


def scope_q(user: Any, permission: str, field: str = "kato") -> Q | None:
    """A filter limiting a queryset to the user's territory for `permission`; None means no limit."""
    allowed = roles_for(permission)
    scopes = [g.scope for g in user_grants(user) if g.role in allowed]
    if any(scope is None for scope in scopes):
        return None
    condition = Q(pk__in=[])
    for scope in scopes:
        condition |= kato_within(field, scope)
    return condition


# --- View declarations: every URL's view carries `esep_access`; a test fails for any that does not. ---

ViewFunc = Callable[..., HttpResponse]


def public(view: ViewFunc) -> ViewFunc:
    view.esep_access = "public"  # type: ignore[attr-defined]
    return view


def authenticated(view: ViewFunc) -> ViewFunc:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.esep_access = "authenticated"  # type: ignore[attr-defined]
    return wrapper


def requires(permission: str) -> Callable[[ViewFunc], ViewFunc]:
    """The user must hold `permission` somewhere; the view then checks the object's own territory."""
    roles_for(permission)

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            ensure(request.user, permission)
            return view(request, *args, **kwargs)

        wrapper.esep_access = ("scoped", permission)  # type: ignore[attr-defined]
        return wrapper

    return decorator
