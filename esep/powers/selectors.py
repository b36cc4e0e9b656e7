"""Reads of the catalogue of powers, each a fixed number of queries."""

from django.db.models import QuerySet

from esep.powers.models import STATUSES_IN_FORCE, Power


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
