"""Reads of the territory tree. Each function runs a fixed number of queries whatever the row count."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404

from esep.core.kato import kato_within
from esep.territory.models import Level, Territory


@dataclass(frozen=True)
class Counts:
    districts: int = 0
    units: int = 0
    settlements: int = 0


def territory_get(kato: str) -> Territory:
    territory = Territory.objects.select_related("parent__parent__parent").filter(kato=kato).first()
    if territory is None:
        raise Http404(kato)
    return territory


def ancestors(territory: Territory) -> list[Territory]:
    """Region down to the parent; uses the parents select_related by `territory_get`."""
    chain = []
    node = territory.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return chain[::-1]


def counts_by_prefix(prefix_length: int, within: str = "") -> dict[str, Counts]:
    """Districts, elected units and settlements under every code prefix of the given length, in one query."""
    rows = (
        Territory.objects.filter(kato_within("kato", within))
        .annotate(prefix=Substr("kato", 1, prefix_length))
        .values("prefix")
        .annotate(
            districts=Count("pk", filter=Q(level=Level.DISTRICT)),
            units=Count("pk", filter=Q(level=Level.UNIT, has_elected_akim=True)),
            settlements=Count("pk", filter=Q(level=Level.SETTLEMENT)),
        )
    )
    return {row["prefix"]: Counts(row["districts"], row["units"], row["settlements"]) for row in rows}


def country_counts() -> dict[str, int]:
    return Territory.objects.aggregate(
        regions=Count("pk", filter=Q(level=Level.REGION)),
        districts=Count("pk", filter=Q(level=Level.DISTRICT)),
        units=Count("pk", filter=Q(level=Level.UNIT, has_elected_akim=True)),
        settlements=Count("pk", filter=Q(level=Level.SETTLEMENT)),
    )


def children(territory: Territory) -> QuerySet[Territory]:
    return territory.children.order_by("-has_elected_akim", "kato")


def search(query: str, *, level: str | None = None) -> QuerySet[Territory]:
    """Territories whose Kazakh, Russian or Latin name contains `query`, case-insensitively."""
    words = query.lower().split()
    territories = Territory.objects.select_related("parent__parent")
    for word in words:
        territories = territories.filter(search_text__contains=word)
    if level:
        territories = territories.filter(level=level)
    # Elected units first: they are what residents look for.
    return territories.order_by("-has_elected_akim", "kato")
