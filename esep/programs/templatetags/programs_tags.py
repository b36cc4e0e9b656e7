from django import template

from esep.programs.checker import tenge as group_thousands
from esep.programs.models import FundingSource, PromiseStatus

register = template.Library()


@register.filter
def tenge(value: int | None) -> str:
    """150000000 -> 150 000 000 (the grouping of the checker's messages, in every language)."""
    if value is None or value == "":
        return "—"
    return group_thousands(int(value))


@register.filter
def source_label(value: str) -> str:
    try:
        return str(FundingSource(value).label)
    except ValueError:
        return value


@register.filter
def status_label(value: str) -> str:
    try:
        return str(PromiseStatus(value).label)
    except ValueError:
        return value


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
