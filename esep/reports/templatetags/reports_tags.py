from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def rating(value: float | None) -> str:
    """An average mark with one decimal (4.25 -> 4.3), or a dash without ratings."""
    return "—" if value is None else number_format(round(value, 1), 1)


@register.filter
def share(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


@register.filter
def days_since(day: object, today: object) -> int:
    try:
        return (today - day).days
    except TypeError:
        return 0


@register.simple_tag
def bar_width(count: int, largest: int) -> int:
    """The width, out of 100, of a bar for `count` when the largest bar is `largest`."""
    return round(100 * count / largest) if largest else 0


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if mapping else None
