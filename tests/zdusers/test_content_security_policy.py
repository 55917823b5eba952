"""Content-Security-Policy: every page forbids inline script, and no template of ours needs it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

APPS_WITH_TEMPLATES = ["templates", "profiles", "organizations", "intake", "imports"]
# A <script> element without a src attribute, or an on…= event-handler attribute: script inside the HTML.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


def policy_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/login/", "/users/", "/admin/"])
def test_every_page_allows_script_from_this_site_only(superuser_client, url):
    policy = policy_of(superuser_client.get(url))

    assert policy["script-src"] == "script-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["form-action"] == "form-action 'self'"


def test_the_login_page_of_an_anonymous_visitor_carries_the_policy_too(client):
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]


def test_no_template_of_ours_has_inline_script_or_event_handlers():
    offenders = []
    for folder in APPS_WITH_TEMPLATES:
        for template in sorted((Path(settings.BASE_DIR) / folder).rglob("*.html")):
            for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
                if INLINE_SCRIPT.search(line):
                    offenders.append(f"{template.relative_to(settings.BASE_DIR)}:{number}: {line.strip()[:80]}")
    assert offenders == []


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<form onsubmit="return confirm()">',
        "<button onclick='go()'>",
        '<script type="module">import x from "./x.js"</script>',
    ],
)
def test_the_guard_recognises_inline_script(html):
    assert INLINE_SCRIPT.search(html)


@pytest.mark.parametrize(
    "html", ['<script src="/static/js/x.js" defer></script>', '<form data-confirm="Remove?">', "<p>Once upon</p>"]
)
def test_the_guard_leaves_scripts_from_files_and_data_attributes_alone(html):
    assert not INLINE_SCRIPT.search(html)
