"""The Content-Security-Policy allows scripts and styles from the site's own files only: a template with
an inline script, an inline event handler or a style attribute renders a page part that silently fails."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted((Path(settings.BASE_DIR) / "esep").glob("**/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|action|src)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_the_csp_refuses_inline_code() -> None:
    policy = settings.ESEP_CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in policy
    assert "'unsafe-inline'" not in policy


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_the_template_has_no_code_the_csp_would_refuse(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    refused = {
        "inline script": INLINE_SCRIPT.findall(text),
        "inline event handler": EVENT_HANDLER.findall(text),
        "style attribute": STYLE_ATTRIBUTE.findall(text),
        "javascript: URL": JAVASCRIPT_URL.findall(text),
    }
    assert not any(refused.values()), {kind: found for kind, found in refused.items() if found}
