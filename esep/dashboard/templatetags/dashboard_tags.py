from typing import Any

from django import template
from django.urls import reverse

from esep.dashboard.exports import FORMATS
from esep.dashboard.indicators import DAYS, SHARE, format_value
from esep.territory.models import Territory

register = template.Library()


@register.filter
def share(value: float | None) -> str:
    """0.4567 -> 46%; None -> —."""
    return format_value(SHARE, value)


@register.filter
def days(value: float | None) -> str:
    return format_value(DAYS, value)


@register.filter
def get_item(mapping: dict, key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.simple_tag
def dashboard_url(territory: Territory | None) -> str:
    if territory is None:
        return reverse("dashboard:country")
    return reverse("dashboard:area", args=[territory.kato])


@register.inclusion_tag("dashboard/_downloads.html")
def downloads(territory: Territory | None, name: str, title: str = "") -> dict[str, Any]:
    """Links to the CSV, XLSX and JSON of one dataset of the dashboard of `territory`."""
    links = []
    for fmt in FORMATS:
        if territory is None:
            url = reverse("dashboard:download_country", args=[name, fmt])
        else:
            url = reverse("dashboard:download", args=[territory.kato, name, fmt])
        links.append((fmt.upper(), url))
    return {"links": links, "title": title, "name": name}
