"""The territory filter of list operations: a KATO code resolved to a place, or a clear 404 or 400."""

from django.utils.translation import gettext as _
from ninja.errors import HttpError

from esep.territory.models import Level, Territory

AREAS = (Level.REGION, Level.DISTRICT, Level.UNIT)


def territory_filter(kato: str | None, *, levels: tuple[str, ...] = AREAS) -> Territory | None:
    """The territory a `kato` query parameter names (None when it is not given)."""
    if not kato:
        return None
    territory = Territory.objects.filter(kato=kato).first()
    if territory is None:
        raise HttpError(404, _("No territory has the KATO code %(kato)s.") % {"kato": kato})
    if territory.level not in levels:
        raise HttpError(400, _level_message(levels))
    return territory


def _level_message(levels: tuple[str, ...]) -> str:
    """What the operation takes, in the words of the levels it accepts."""
    if set(levels) == {Level.REGION, Level.DISTRICT}:
        return _("Give the KATO code of a region or a district.")
    return _("Give the KATO code of a region, a district or a rural unit.")


def prefix_filter(kato: str | None, *, levels: tuple[str, ...] = AREAS) -> str:
    """The KATO prefix of that territory ("" for the whole country when no code is given)."""
    territory = territory_filter(kato, levels=levels)
    return territory.code_prefix if territory is not None else ""
