from django.http import HttpRequest
from django.template.loader import render_to_string

from esep.appeals.selectors import figures
from esep.territory.models import Level, Territory


def territory_section(request: HttpRequest, territory: Territory | None) -> str:
    """Request figures of the country, a region, a district or a unit (3 queries); a link to send one."""
    if territory is not None and territory.level == Level.SETTLEMENT:
        return ""
    is_unit = territory is not None and territory.level == Level.UNIT and territory.has_elected_akim
    if territory is not None and territory.level == Level.UNIT and not is_unit:
        return ""
    context = {
        "territory": territory,
        "figures": figures(territory.kato if territory is not None else ""),
        "is_unit": is_unit,
    }
    return render_to_string("appeals/_territory_section.html", context, request=request)
