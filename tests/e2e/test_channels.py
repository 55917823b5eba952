"""The Channels page in Chromium: an admin finds why a provider's messages are refused, fixes it, sees them land.

The story: an admin has added a WhatsApp channel; Meta's notifications come back 401 because the app secret
was mistyped. The admin opens Channels from the menu, sees the refusals counted on the channel's card, opens
them, reads the reason; after the secret is corrected, the next notification is recorded and links to the
customer's profile.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from intake.models import Provider, WebhookChannel
from intake.webhooks.whatsapp import signature
from tests.e2e.conftest import PASSWORD, log_in
from tests.factories import AdminFactory

pytestmark = pytest.mark.e2e

SECRET = "0123456789abcdef0123456789abcdef"
NOTIFICATION = json.loads(
    (Path(__file__).parent.parent / "intake" / "fixtures" / "whatsapp_text_message.json").read_text()
)


@pytest.fixture
def channel(roles) -> WebhookChannel:
    return WebhookChannel.objects.create(
        provider=Provider.WHATSAPP,
        name="Suporte Brasil",
        slug="suporte-br",
        verify_token="desk-verify-7f3a",
        secret=SECRET,
    )


@pytest.fixture
def logged_in(page: Page, roles) -> Page:
    AdminFactory(username="admin", password=PASSWORD)
    return log_in(page, "admin")


def deliver(secret: str) -> int:
    body = json.dumps(NOTIFICATION).encode()
    response = Client().post(
        "/webhooks/whatsapp/suporte-br/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": signature(body, secret)},
    )
    return response.status_code


def test_an_admin_reads_why_notifications_are_refused_and_sees_the_next_one_land(logged_in: Page, channel):
    page = logged_in
    assert deliver("a-mistyped-app-secret") == 401

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Channels").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Channels")
    card = page.get_by_role("list", name="Webhook channels").get_by_role("listitem")
    expect(card).to_contain_text("Suporte Brasil")
    expect(card).to_contain_text("/webhooks/whatsapp/suporte-br/")
    card.get_by_role("link", name="1 refused").click()

    expect(page.get_by_role("table")).to_contain_text("signature does not match the body")
    expect(page.get_by_label("Outcome")).to_have_value("refused")

    assert deliver(SECRET) == 200
    page.get_by_label("Outcome").select_option("recorded")
    page.get_by_role("button", name="Apply").click()

    row = page.get_by_role("table").get_by_role("row").nth(1)
    expect(row).to_contain_text("Recorded")
    row.get_by_role("link", name="profile #").click()
    sender = NOTIFICATION["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"]["name"]
    expect(page.get_by_role("heading", level=1)).to_contain_text(sender)
