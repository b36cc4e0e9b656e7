"""Territory checks of this app: who may act on an akim, a unit, a region or a state body.

A state body has no territory: acting for it (reporting, reviewing) needs a grant over the whole country.
"""

from typing import Any

from django.core.exceptions import PermissionDenied

from esep.core.access import may, roles_for, user_grants


def covers(user: Any, permission: str, kato: str) -> bool:
    """May `user` use `permission` over `kato`? "" stands for the whole country (nationwide grants only)."""
    if user is None:
        return False
    if kato:
        return may(user, permission, kato)
    allowed = roles_for(permission)
    return any(grant.scope is None and grant.role in allowed for grant in user_grants(user))


def ensure_covers(user: Any, permission: str, kato: str) -> None:
    """Services call this with the acting user; `None` is the system (demo data, command line)."""
    if user is not None and not covers(user, permission, kato):
        raise PermissionDenied(permission)


def scope_prefixes(user: Any, permission: str) -> list[str] | None:
    """The KATO prefixes where `user` holds `permission`; None means the whole country."""
    allowed = roles_for(permission)
    scopes = [grant.scope for grant in user_grants(user) if grant.role in allowed]
    if any(scope is None for scope in scopes):
        return None
    return sorted(set(scopes))
