"""The dashboard's box on the territory pages (ESEP_TERRITORY_SECTIONS): links only, no query."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from esep.territory.models import Level, Territory


def territory_section(request: HttpRequest, territory: Territory | None) -> str:
    if territory is not None and territory.level not in (Level.REGION, Level.DISTRICT):
        return ""
    return render_to_string("dashboard/_section.html", {"territory": territory}, request=request)
