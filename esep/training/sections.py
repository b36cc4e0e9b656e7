"""The training section of the territory pages (ESEP_TERRITORY_SECTIONS): five queries on any page."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from esep.territory.models import Level, Territory
from esep.training import selectors

TOP_GAPS = 10


def territory_section(request: HttpRequest, territory: Territory | None) -> str:
    if territory is None or territory.level in {Level.REGION, Level.DISTRICT}:
        return _area_section(request, territory)
    if territory.level == Level.UNIT and territory.has_elected_akim:
        return _unit_section(request, territory)
    return ""


def _unit_section(request: HttpRequest, unit: Territory) -> str:
    mandate, held, gaps = selectors.current_akim_summary(unit)
    context = {
        "territory": unit,
        "mandate": mandate,
        "held": held,
        "gaps": gaps,
        "required_count": len(held) + len(gaps),
        "akim_post": selectors.akim_post(unit),
        "staff": selectors.staff_total(unit.code_prefix),
    }
    return render_to_string("training/_section_unit.html", context, request=request)


def _area_section(request: HttpRequest, territory: Territory | None) -> str:
    prefix = selectors.prefix_of(territory)
    shares = selectors.module_shares(prefix)
    required_count = sum(1 for share in shares if share.module.required)
    top = list(selectors.akims_by_gap(prefix, required_count=required_count)[:TOP_GAPS])
    if territory is None:
        overview_url, staff_url = reverse("training:overview"), reverse("training:staff")
    else:
        overview_url = reverse("training:overview_area", args=[territory.kato])
        staff_url = reverse("training:staff_area", args=[territory.kato])
    context = {
        "territory": territory,
        "shares": shares,
        "akim_count": shares[0].akims if shares else 0,
        "top": top,
        "required_count": required_count,
        "staff": selectors.staff_total(prefix),
        "overview_url": overview_url,
        "staff_url": staff_url,
    }
    return render_to_string("training/_section_area.html", context, request=request)
