"""Routing by powers: does the rural akim hold a power for this category, and if not, which body does?

Categories name powers by code; the powers catalogue (esep.powers) is read at run time when it is
there, so this app works before the catalogue is loaded and needs none of its migrations. A category
is the akim's when one of its powers is at the rural level; otherwise it is offered for forwarding
to the body of its powers' level.
"""

from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from esep.appeals.models import Body, Category
from esep.territory.models import Territory


@dataclass(frozen=True)
class Route:
    holder: str  # a Body value
    from_catalogue: bool

    @property
    def is_akims(self) -> bool:
        return self.holder == Body.RURAL


def catalogue_levels(codes: list[str]) -> dict[str, str] | None:
    """Power code -> level from the powers catalogue; None when it is not installed or not migrated."""
    try:
        power_model = apps.get_model("powers", "Power")
    except LookupError:
        return None
    try:
        # A savepoint: on PostgreSQL a missing table must not spoil the caller's transaction.
        with transaction.atomic():
            return dict(power_model.objects.filter(code__in=codes).values_list("code", "level"))
    except DatabaseError:
        return None


def category_route(category: Category, levels: dict[str, str] | None = None) -> Route:
    """Who holds the power for `category`; `levels` may be given for many categories read at once."""
    if levels is None:
        levels = catalogue_levels(list(category.power_codes)) or {}
    found = [levels[code] for code in category.power_codes if code in levels]
    if not found:
        return Route(holder=category.holder, from_catalogue=False)
    if Body.RURAL in found:
        return Route(holder=Body.RURAL, from_catalogue=True)
    holder, _count = Counter(found).most_common(1)[0]
    if holder not in Body.values:
        holder = Body.OTHER
    return Route(holder=holder, from_catalogue=True)


def routes_for(categories: list[Category]) -> dict[int, Route]:
    """Routes of many categories with one catalogue query."""
    codes = sorted({code for category in categories for code in category.power_codes})
    levels = catalogue_levels(codes) or {}
    return {category.pk: category_route(category, levels) for category in categories}


def default_body_name(body: str, unit: Territory, category: Category | None = None) -> str:
    """The name of the receiving body proposed for forwarding a request of `unit`."""
    district = Territory.objects.filter(kato=unit.district_code).first()
    region = Territory.objects.filter(kato=unit.region_code).first()
    district_name = district.name if district else unit.district_code
    region_name = region.name if region else unit.region_code
    if body == Body.DISTRICT:
        return _("Akimat of %(district)s") % {"district": district_name}
    if body == Body.REGION:
        return _("Akimat of %(region)s") % {"region": region_name}
    if body == Body.POLICE:
        return _("Police department of %(district)s") % {"district": district_name}
    if category is not None and category.forward_body_name:
        return category.forward_body_name
    return str(Body.OTHER.label)
