"""The WhatsApp channel admin: the app secret is entered once and never displayed; the schema keeps the rules."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from intake.models import WhatsAppChannel

pytestmark = pytest.mark.django_db

ADD = "/admin/intake/whatsappchannel/add/"
SECRET = "0123456789abcdef0123456789abcdef"


def change_url(channel: WhatsAppChannel) -> str:
    return f"/admin/intake/whatsappchannel/{channel.pk}/change/"


def form(**fields) -> dict[str, str]:
    return {"name": "Support line Brazil", "slug": "support-br", "verify_token": "desk-verify-7f3a", **fields}


def test_a_channel_is_added_with_its_secret_which_is_not_shown_again(superuser_client):
    response = superuser_client.post(ADD, form(new_app_secret=SECRET))

    assert response.status_code == 302
    channel = WhatsAppChannel.objects.get()
    assert channel.app_secret == SECRET
    page = superuser_client.get(change_url(channel)).content.decode()
    assert SECRET not in page
    assert "set, ends in …cdef" in page
    assert "/webhooks/whatsapp/support-br/" in page
    assert SECRET not in superuser_client.get("/admin/intake/whatsappchannel/").content.decode()


def test_a_new_channel_needs_the_secret(superuser_client):
    response = superuser_client.post(ADD, form())

    assert response.status_code == 200
    assert "A new channel needs the app secret" in response.content.decode()
    assert not WhatsAppChannel.objects.exists()


def test_changing_a_channel_without_a_secret_keeps_the_old_one_and_a_new_one_replaces_it(superuser_client):
    channel = WhatsAppChannel.objects.create(
        name="Old", slug="support-br", verify_token="desk-verify-7f3a", app_secret=SECRET
    )

    kept = superuser_client.post(change_url(channel), form(name="Renamed", new_app_secret=""))
    channel.refresh_from_db()
    assert kept.status_code == 302
    assert (channel.name, channel.app_secret) == ("Renamed", SECRET)

    superuser_client.post(change_url(channel), form(new_app_secret="fedcba9876543210fedcba9876543210"))
    channel.refresh_from_db()
    assert channel.app_secret == "fedcba9876543210fedcba9876543210"


def test_a_short_verify_token_or_secret_is_refused_by_the_form(superuser_client):
    response = superuser_client.post(ADD, form(verify_token="short", new_app_secret="tiny"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "a short token is guessable" in page
    assert "Ensure this value has at least 8 characters" in page


@pytest.mark.parametrize(
    "fields",
    [
        {"name": ""},
        {"slug": ""},
        {"verify_token": "short"},
        {"app_secret": "tiny"},
    ],
)
def test_the_database_refuses_an_unusable_channel(fields):
    values = {"name": "Line", "slug": "line", "verify_token": "desk-verify-7f3a", "app_secret": SECRET, **fields}

    with pytest.raises(IntegrityError), transaction.atomic():
        WhatsAppChannel.objects.create(**values)


def test_two_channels_cannot_share_a_slug():
    WhatsAppChannel.objects.create(name="A", slug="line", verify_token="desk-verify-7f3a", app_secret=SECRET)

    with pytest.raises(IntegrityError), transaction.atomic():
        WhatsAppChannel.objects.create(name="B", slug="line", verify_token="desk-verify-7f3b", app_secret=SECRET)


def test_the_admins_role_configures_channels_and_agents_do_not(admin_client, agent_client):
    response = admin_client.post(ADD, form(new_app_secret=SECRET))

    assert response.status_code == 302
    assert WhatsAppChannel.objects.filter(slug="support-br").exists()
    assert agent_client.get(ADD).status_code == 403
