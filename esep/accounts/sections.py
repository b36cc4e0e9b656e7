from django.http import HttpRequest
from django.template.loader import render_to_string

from esep.territory.models import Territory


def register_invite(request: HttpRequest, territory: Territory | None) -> str:
    """On a rural unit's page, invite a visitor who lives there to register as its resident."""
    if territory is None or not territory.has_elected_akim or request.user.is_authenticated:
        return ""
    return render_to_string("accounts/_register_invite.html", {"territory": territory}, request=request)
