"""Fixed-window rate limits counted in the database, so every gunicorn worker sees the same numbers."""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from esep.core.models import RateCounter


def _window(seconds: int, now: float) -> int:
    return int(now // seconds)


def hit(key: str, *, window_seconds: int, now: float | None = None) -> int:
    """Count one hit of `key` in the current window and return the count so far (atomic upsert)."""
    now = time.time() if now is None else now
    window = _window(window_seconds, now)
    quote = connection.ops.quote_name
    table, key_col, window_col, count_col, expires_col = (
        quote(name) for name in (RateCounter._meta.db_table, "key", "window", "count", "expires")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_col}, {window_col}, {count_col}, {expires_col}) "  # noqa: S608  # nosec B608
            f"VALUES (%s, %s, 1, %s) ON CONFLICT ({key_col}, {window_col}) "
            f"DO UPDATE SET {count_col} = {table}.{count_col} + 1 RETURNING {count_col}",
            [key[:200], window, int((window + 1) * window_seconds)],
        )
        return int(cursor.fetchone()[0])


def peek(key: str, *, window_seconds: int, now: float | None = None) -> int:
    now = time.time() if now is None else now
    row = (
        RateCounter.objects.filter(key=key[:200], window=_window(window_seconds, now)).values("count").first()
    )
    return row["count"] if row else 0


def seconds_left(window_seconds: int, now: float | None = None) -> int:
    now = time.time() if now is None else now
    return int(window_seconds - now % window_seconds) + 1


def prune(*, now: Any = None) -> str:
    """Tick step: forget windows that have ended."""
    removed, _detail = RateCounter.objects.filter(expires__lt=int(time.time())).delete()
    return f"{removed} expired rate counters removed"


def client_ip(request: HttpRequest) -> str:
    """The caller's address; behind N trusted proxies, the N-th address from the right of X-Forwarded-For."""
    proxies = settings.ESEP_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    message = _("Too many attempts. Try again in %(minutes)d minutes.") % {
        "minutes": max(1, retry_after // 60)
    }
    if request.path.startswith("/api/") or request.headers.get("Accept", "").startswith("application/json"):
        response: HttpResponse = JsonResponse(
            {"error": {"code": "throttled", "message": message}}, status=429
        )
    else:
        response = render(request, "core/too_many.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(scope: str, *, per_user: int, per_ip: int, window_seconds: int = 60) -> Callable:
    """Limit unsafe requests (POST...) to a view, per signed-in user and per client address."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.method not in {"GET", "HEAD", "OPTIONS"} and settings.ESEP_RATE_LIMITS:
                user_id = request.user.pk if request.user.is_authenticated else None
                over = hit(f"{scope}:ip:{client_ip(request)}", window_seconds=window_seconds) > per_ip
                if user_id is not None:
                    over |= hit(f"{scope}:user:{user_id}", window_seconds=window_seconds) > per_user
                if over:
                    return too_many(request, seconds_left(window_seconds))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
