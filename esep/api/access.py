"""Access declarations for API operations: the same rules as the web views, answered as JSON errors."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from esep.core.access import may, roles_for

_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _reject_cross_site(request: HttpRequest) -> None:
    # Session-authenticated writes need Django's CSRF check; ninja views are CSRF-exempt by default.
    if request.method in _UNSAFE and not getattr(request, "esep_api_key", None):
        reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if reason is not None:
            raise HttpError(
                403, _("CSRF check failed: send the X-CSRFToken header with the csrftoken cookie.")
            )


def api_public(view: Callable) -> Callable:
    view.esep_access = "public"  # type: ignore[attr-defined]
    return view


def api_authenticated(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            raise HttpError(401, _("Log in first."))
        _reject_cross_site(request)
        return view(request, *args, **kwargs)

    wrapper.esep_access = "authenticated"  # type: ignore[attr-defined]
    return wrapper


def api_requires(permission: str) -> Callable[[Callable], Callable]:
    roles_for(permission)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                raise HttpError(401, _("Log in first."))
            if not may(request.user, permission):
                raise HttpError(403, _("You do not have the right to do this."))
            _reject_cross_site(request)
            return view(request, *args, **kwargs)

        wrapper.esep_access = ("scoped", permission)  # type: ignore[attr-defined]
        return wrapper

    return decorator
