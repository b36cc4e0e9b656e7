from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from esep.core.access import public
from esep.powers import selectors
from esep.powers.models import PowerLevel, PowerStatus, Sector

PAGE_SIZE = 50


def _choice(request: HttpRequest, name: str, choices: type) -> str | None:
    value = request.GET.get(name) or None
    return value if value in choices.values else None


@public
def catalogue(request: HttpRequest) -> HttpResponse:
    level = _choice(request, "level", PowerLevel)
    sector = _choice(request, "sector", Sector)
    status = _choice(request, "status", PowerStatus)
    query = " ".join(request.GET.get("q", "").split())[:100]
    powers = selectors.power_list(level=level, sector=sector, status=status, query=query)
    page = Paginator(powers, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "page": page,
        "level": level,
        "sector": sector,
        "status": status,
        "query": query,
        "levels": PowerLevel.choices,
        "sectors": Sector.choices,
        "statuses": PowerStatus.choices,
        "filters": filters.urlencode(),
    }
    template = "powers/_results.html" if request.htmx else "powers/catalogue.html"
    return render(request, template, context)
