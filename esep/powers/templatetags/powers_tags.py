"""Small template helpers of the powers pages: dictionary look-ups, percentages, share bars as SVG."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from esep.powers.models import PairVerdict, PowerLevel, PowerStatus, ProposalStatus, Sector

register = template.Library()


@register.filter
def lookup(mapping: object, key: object) -> object:
    if isinstance(mapping, dict):
        return mapping.get(key, "")
    return ""


@register.filter
def name_in_language(evidence: object) -> str:
    """A category's name from a proposal's evidence (name_ru, name_kk, name_en) in the page's language."""
    if not isinstance(evidence, dict):
        return ""
    language = (get_language() or "ru")[:2]
    return evidence.get(f"name_{language}") or evidence.get("name_ru", "")


@register.filter
def percent(value: object) -> str:
    try:
        return f"{100 * float(value):.0f}%"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""


@register.filter
def level_label(value: str) -> str:
    return str(PowerLevel(value).label) if value in PowerLevel.values else value


@register.filter
def status_label(value: str) -> str:
    return str(PowerStatus(value).label) if value in PowerStatus.values else value


@register.filter
def proposal_status_label(value: str) -> str:
    return str(ProposalStatus(value).label) if value in ProposalStatus.values else value


@register.filter
def verdict_label(value: str) -> str:
    return str(PairVerdict(value).label) if value in PairVerdict.values else value


@register.filter
def sector_label(value: str) -> str:
    return str(Sector(value).label) if value in Sector.values else value


@register.simple_tag
def share_bar(share: float) -> SafeString:
    """A horizontal bar of a share in [0, 1]; the number is printed beside it, the SVG is decoration."""
    width = max(0.0, min(1.0, float(share or 0))) * 100
    return format_html(
        '<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
        'focusable="false">'
        '<rect class="bar-bg" width="100" height="10"></rect>'
        '<rect class="bar-fill" width="{}" height="10"></rect></svg>',
        f"{width:.1f}",
    )
