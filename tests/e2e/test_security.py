"""In Chromium, under the Content-Security-Policy: pages work with no inline script, and confirmations still ask."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from profiles.models import Identity
from profiles.services.identities import add_identity
from tests.e2e.conftest import PASSWORD, log_in
from tests.factories import AgentFactory, EndUserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def ana(roles):
    ana = EndUserFactory(name="Ana Souza")
    add_identity(user=ana, kind="email", value="ana@example.com")
    add_identity(user=ana, kind="email", value="ana.old@example.com")
    return ana


def test_an_agent_confirms_a_removal_and_the_browser_reports_no_policy_violation(page: Page, ana):
    AgentFactory(username="agent", password=PASSWORD)
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    log_in(page, "agent")

    page.goto(f"/users/{ana.pk}/")
    old = page.get_by_role("listitem").filter(has_text="ana.old@example.com")
    asked = []

    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    old.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("ana.old@example.com")).to_be_visible()
    assert Identity.objects.filter(user=ana, normalized="ana.old@example.com").exists()

    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    old.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("status")).to_contain_text("Removed ana.old@example.com.")

    assert asked == ["Remove ana.old@example.com? Contacts that came through it stay on the profile."] * 2
    assert not Identity.objects.filter(user=ana, normalized="ana.old@example.com").exists()
    page.goto("/users/")
    page.goto("/admin/")
    assert refused == []
