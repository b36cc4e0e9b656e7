"""Fields kept once per language (`name_kk`, `name_ru`, `name_en`): the one for the active language."""

from typing import Any

from django.utils.translation import get_language


def in_language(obj: Any, field: str) -> str:
    """`obj.<field>_<language>` for Kazakh or English when it is filled in, else the Russian one."""
    language = (get_language() or "ru")[:2]
    if language in {"kk", "en"}:
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, f"{field}_ru")
