"""The webhook channel admin: the secret is entered once and never displayed; the schema keeps the rules."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from intake.models import DeliveryOutcome, InboundDelivery, Provider, WebhookChannel

pytestmark = pytest.mark.django_db

ADD = "/admin/intake/webhookchannel/add/"
SECRET = "0123456789abcdef0123456789abcdef"


def change_url(channel: WebhookChannel) -> str:
    return f"/admin/intake/webhookchannel/{channel.pk}/change/"


def form(**fields) -> dict[str, str]:
    return {
        "provider": "whatsapp",
        "name": "Support line Brazil",
        "slug": "support-br",
        "verify_token": "desk-verify-7f3a",
        **fields,
    }


def whatsapp(**fields) -> WebhookChannel:
    values = {"provider": Provider.WHATSAPP, "name": "Old", "slug": "support-br", "verify_token": "desk-verify-7f3a"}
    return WebhookChannel.objects.create(**{**values, "secret": SECRET, **fields})


def test_a_channel_is_added_with_its_secret_which_is_not_shown_again(superuser_client):
    response = superuser_client.post(ADD, form(new_secret=SECRET))

    assert response.status_code == 302
    channel = WebhookChannel.objects.get()
    assert (channel.provider, channel.secret) == ("whatsapp", SECRET)
    page = superuser_client.get(change_url(channel)).content.decode()
    assert SECRET not in page
    assert "App secret: set, ends in …cdef" in page
    assert "/webhooks/whatsapp/support-br/" in page
    assert SECRET not in superuser_client.get("/admin/intake/webhookchannel/").content.decode()


def test_a_new_channel_needs_the_secret_its_provider_signs_with(superuser_client):
    response = superuser_client.post(ADD, form(provider="twilio", verify_token=""))

    assert response.status_code == 200
    assert "A new channel needs its auth token" in response.content.decode()
    assert not WebhookChannel.objects.exists()


def test_only_a_whatsapp_channel_needs_a_verify_token(superuser_client):
    refused = superuser_client.post(ADD, form(verify_token="", new_secret=SECRET))
    assert refused.status_code == 200
    assert "A WhatsApp channel needs a verify token of at least 8 characters" in refused.content.decode()
    assert not WebhookChannel.objects.exists()

    added = superuser_client.post(ADD, form(provider="email", slug="inbox", verify_token="", new_secret=SECRET))
    assert added.status_code == 302
    assert WebhookChannel.objects.get().provider == "email"


def test_changing_a_channel_without_a_secret_keeps_the_old_one_and_a_new_one_replaces_it(superuser_client):
    channel = whatsapp()

    kept = superuser_client.post(change_url(channel), form(name="Renamed", new_secret=""))
    channel.refresh_from_db()
    assert kept.status_code == 302
    assert (channel.name, channel.secret) == ("Renamed", SECRET)

    superuser_client.post(change_url(channel), form(new_secret="fedcba9876543210fedcba9876543210"))
    channel.refresh_from_db()
    assert channel.secret == "fedcba9876543210fedcba9876543210"


def test_the_provider_of_a_channel_cannot_be_changed(superuser_client):
    channel = whatsapp()

    superuser_client.post(change_url(channel), form(provider="email", name="Renamed"))

    channel.refresh_from_db()
    assert (channel.provider, channel.name) == ("whatsapp", "Renamed")


def test_a_short_verify_token_or_secret_is_refused_by_the_form(superuser_client):
    response = superuser_client.post(ADD, form(verify_token="short", new_secret="tiny"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "a short token is guessable" in page
    assert "Ensure this value has at least 8 characters" in page
    assert not WebhookChannel.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"name": ""},
        {"slug": ""},
        {"verify_token": "short"},
        {"secret": "tiny"},
        {"provider": "carrier-pigeon"},
    ],
)
def test_the_database_refuses_an_unusable_channel(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        whatsapp(**fields)


def test_a_channel_of_another_provider_needs_no_verify_token():
    channel = WebhookChannel.objects.create(provider=Provider.TWILIO, name="SMS", slug="sms", secret=SECRET)

    assert channel.verify_token == ""


def test_two_channels_of_one_provider_cannot_share_a_slug_but_two_providers_can():
    whatsapp(slug="line")
    WebhookChannel.objects.create(provider=Provider.EMAIL, name="Inbox", slug="line", secret=SECRET)

    with pytest.raises(IntegrityError), transaction.atomic():
        whatsapp(slug="line", name="B")


def test_the_admins_role_configures_channels_and_agents_do_not(admin_client, agent_client):
    response = admin_client.post(ADD, form(new_secret=SECRET))

    assert response.status_code == 302
    assert WebhookChannel.objects.filter(slug="support-br").exists()
    assert agent_client.get(ADD).status_code == 403


def test_the_inbound_log_is_read_only_in_the_admin(superuser_client):
    channel = whatsapp()
    line = InboundDelivery.objects.create(channel=channel, outcome=DeliveryOutcome.REFUSED, detail="401: no signature")

    assert "401: no signature" in superuser_client.get("/admin/intake/inbounddelivery/").content.decode()
    assert superuser_client.get("/admin/intake/inbounddelivery/add/").status_code == 403
    superuser_client.post(f"/admin/intake/inbounddelivery/{line.pk}/change/", {"detail": "rewritten"})
    line.refresh_from_db()
    assert line.detail == "401: no signature"
