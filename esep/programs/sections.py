"""What programs add to the territory pages, read from the summary table `PromiseStat` (one query each).

A rural unit gets a compact tracker of its sitting akim: counts by status, overdue, a link to the full
tracker. A district, a region and the country get the shares kept, broken, in progress and overdue, and the
money promised by funding source as an SVG bar chart with a table as its text equivalent.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string

from esep.core.kato import kato_prefix
from esep.programs import charts
from esep.programs.stats import area_figures
from esep.territory.models import Level, Territory


def shares(figures: dict[str, int]) -> dict[str, float | None]:
    total = figures.get("promises", 0)
    names = ("kept", "partially_kept", "broken", "dropped", "in_progress", "stalled", "not_rated", "overdue")
    return {name: (figures.get(name, 0) / total if total else None) for name in names}


def territory_section(request: HttpRequest, territory: Territory | None) -> str:
    if territory is not None and territory.level == Level.SETTLEMENT:
        return ""
    if territory is not None and territory.level == Level.UNIT:
        if not territory.has_elected_akim:
            return ""
        figures = area_figures(territory.kato)
        return render_to_string(
            "programs/_section_unit.html", {"territory": territory, "figures": figures}, request=request
        )
    prefix = kato_prefix(territory.kato) if territory is not None else ""
    figures = area_figures(prefix)
    context = {
        "territory": territory,
        "figures": figures,
        "shares": shares(figures),
        "money": charts.money_by_source(figures),
    }
    return render_to_string("programs/_section_area.html", context, request=request)
