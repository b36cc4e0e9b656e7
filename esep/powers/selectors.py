"""Reads of the catalogue of powers, each a fixed number of queries."""

from django.db.models import Count, QuerySet

from esep.powers.models import STATUSES_IN_FORCE, Power, Proposal, SectorOwner
from esep.territory.models import Territory


def power_list(
    *, level: str | None = None, sector: str | None = None, status: str | None = None, query: str = ""
) -> QuerySet[Power]:
    """The catalogue filtered by level, sector and status, and searched in the code and all three texts."""
    powers = Power.objects.all()
    if level:
        powers = powers.filter(level=level)
    if sector:
        powers = powers.filter(sector=sector)
    if status:
        powers = powers.filter(status=status)
    for word in query.lower().split():
        powers = powers.filter(search_text__contains=word)
    return powers.order_by("level", "sector", "code")


def powers_for_checker() -> list[dict[str, str]]:
    """The catalogue as the checker's CONTEXT wants it: powers a program may rest on today (one query)."""
    return [
        {"code": code, "level": level}
        for code, level in Power.objects.filter(status__in=STATUSES_IN_FORCE)
        .order_by("code")
        .values_list("code", "level")
    ]


def proposal_list(
    *, status: str | None = None, kind: str | None = None, level: str | None = None
) -> QuerySet[Proposal]:
    """Proposals, the newest first, with their power and people (one query a page)."""
    proposals = proposals_with_people()
    if status:
        proposals = proposals.filter(status=status)
    if kind:
        proposals = proposals.filter(kind=kind)
    if level:
        proposals = proposals.filter(level=level)
    return proposals.order_by("-created_at", "-pk")


def proposals_with_people() -> QuerySet[Proposal]:
    return Proposal.objects.select_related("power", "created_by", "decided_by")


def proposal_counts_by_finding() -> dict[str, dict[str, int]]:
    """finding key -> {status: count}: what the analysis page shows next to each finding (one query)."""
    counts: dict[str, dict[str, int]] = {}
    for row in Proposal.objects.values("finding_key", "status").annotate(count=Count("pk")).order_by():
        counts.setdefault(row["finding_key"], {})[row["status"]] = row["count"]
    return counts


def sector_owners() -> list[SectorOwner]:
    return list(SectorOwner.objects.order_by("sector"))


def region_names() -> dict[str, str]:
    """Region names in the page's language by KATO code (one query): a proposal's frozen evidence keeps the
    names in the language of whoever made it."""
    return {region.kato: region.name for region in Territory.objects.regions()}
