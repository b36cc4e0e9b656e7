from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.i18n import set_language

from esep.core.access import public


@public
def language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, declared public: anyone may choose Kazakh, Russian or English."""
    return set_language(request)


@public
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


@public
def ceiling(request: HttpRequest) -> HttpResponse:
    """The benchmarks' ceiling (bench/): a minimal template through the full middleware stack, no database."""
    return render(request, "core/ceiling.html")
