from functools import cache

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

from esep.core.access import public
from esep.territory import selectors
from esep.territory.models import Level, Territory

SEARCH_PAGE_SIZE = 25


@cache
def _section_renderers() -> list:
    return [import_string(dotted) for dotted in settings.ESEP_TERRITORY_SECTIONS]


def contributed_sections(request: HttpRequest, territory: Territory | None) -> list[str]:
    """HTML that upper apps (elections, programs, reports...) add to a territory page; None is the country."""
    # Renderers return template output (already safe); anything else is escaped by the page.
    rendered = (renderer(request, territory) for renderer in _section_renderers())
    return [html for html in rendered if html]


@public
def country(request: HttpRequest) -> HttpResponse:
    regions = selectors.Territory.objects.regions().order_by("kato")
    counts = selectors.counts_by_prefix(2)
    rows = [(region, counts.get(region.kato[:2], selectors.Counts())) for region in regions]
    return render(
        request,
        "territory/country.html",
        {
            "rows": rows,
            "totals": selectors.country_counts(),
            "map_names": {region.kato: region.name for region in regions},
            "sections": contributed_sections(request, None),
        },
    )


@public
def territory_detail(request: HttpRequest, kato: str) -> HttpResponse:
    territory = selectors.territory_get(kato)
    context = {
        "territory": territory,
        "ancestors": selectors.ancestors(territory),
        "sections": contributed_sections(request, territory),
    }
    if territory.level == Level.REGION:
        counts = selectors.counts_by_prefix(4, within=territory.code_prefix)
        context["rows"] = [
            (district, counts.get(district.kato[:4], selectors.Counts()))
            for district in selectors.children(territory)
        ]
        context["totals"] = selectors.Counts(
            districts=sum(c.districts for c in counts.values()),
            units=sum(c.units for c in counts.values()),
            settlements=sum(c.settlements for c in counts.values()),
        )
    elif territory.level == Level.DISTRICT:
        context["units"] = list(selectors.children(territory))
    else:
        context["settlements"] = list(selectors.children(territory))
    return render(request, f"territory/{territory.level}.html", context)


@public
def search(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:100]
    level = request.GET.get("level") or None
    if level not in {None, *Level.values}:
        level = None
    page = None
    error = ""
    if len(query) >= 2:
        page = Paginator(selectors.search(query, level=level), SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    elif query:
        error = "short"
    template = "territory/_search_results.html" if request.htmx else "territory/search.html"
    return render(
        request,
        template,
        {"search_query": query, "page": page, "error": error, "level": level, "levels": Level.choices},
    )
