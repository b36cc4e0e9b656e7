"""What elections add to the territory pages.

A rural unit's page shows its sitting akim (one query). The country, region and district pages get the
composition of the corps of akims, which htmx loads from `elections:composition` when the page opens, so
the territory page itself runs no extra query; without JavaScript the same figures are one link away.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string

from esep.elections import selectors
from esep.territory.models import Level, Territory


def territory_section(request: HttpRequest, territory: Territory | None) -> str:
    if territory is None or territory.level in (Level.REGION, Level.DISTRICT):
        return render_to_string(
            "elections/_section_composition.html", {"territory": territory}, request=request
        )
    if territory.level == Level.UNIT and territory.has_elected_akim:
        mandate = selectors.current_mandate(territory)
        return render_to_string(
            "elections/_section_unit.html", {"territory": territory, "mandate": mandate}, request=request
        )
    return ""
