"""/channels/: admins see each channel's callback URL and recent outcomes, and the inbound log, filtered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import DeliveryOutcome, InboundDelivery, Provider, WebhookChannel
from intake.services.inbound_log import LogLine, log_deliveries
from tests.factories import ContactFactory, EndUserFactory

pytestmark = pytest.mark.django_db

URL = "/channels/"
SECRET = "0123456789abcdef0123456789abcdef"


def whatsapp(slug: str = "support-br", name: str = "Support line Brazil") -> WebhookChannel:
    return WebhookChannel.objects.create(
        provider=Provider.WHATSAPP, name=name, slug=slug, verify_token="desk-verify-7f3a", secret=SECRET
    )


def test_agents_cannot_see_the_channels_page_or_its_menu_item(agent_client):
    assert agent_client.get(URL).status_code == 403
    assert 'href="/channels/"' not in agent_client.get("/").content.decode()


def test_without_channels_the_page_says_how_to_add_one(admin_client):
    page = admin_client.get(URL).content.decode()

    assert "No channels yet" in page
    assert "/admin/intake/webhookchannel/add/" in page
    assert 'href="/channels/" aria-current="page"' in page


def test_a_channel_without_deliveries_shows_its_callback_url_and_what_to_do(admin_client):
    whatsapp()

    page = admin_client.get(URL).content.decode()

    assert "http://testserver/webhooks/whatsapp/support-br/" in page
    assert "Nothing received yet" in page
    assert "Nothing delivered yet" in page


def test_the_log_lists_each_delivery_newest_first_with_a_link_to_the_profile(admin_client):
    channel = whatsapp()
    customer = EndUserFactory(name="Ana Souza")
    contact = ContactFactory(requester=customer, channel="whatsapp", summary="Olá")
    log_deliveries(
        channel,
        [
            LogLine(
                DeliveryOutcome.RECORDED,
                source_ref="wamid.1",
                sender="5541963103529",
                detail="Olá",
                contact_id=contact.pk,
            ),
            LogLine(DeliveryOutcome.SKIPPED, source_ref="wamid.2", sender="12", detail="contact_point: too short"),
        ],
    )
    log_deliveries(channel, [LogLine(DeliveryOutcome.REFUSED, detail="401: The X-Hub-Signature-256 header is missing")])

    page = admin_client.get(URL).content.decode()

    assert page.index("401: The X-Hub-Signature-256") < page.index("contact_point: too short") < page.index("wamid.1")
    assert f'href="/users/{customer.pk}/"' in page
    assert "1 recorded" in page and "1 skipped" in page and "1 refused" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"outcome": "refused"}, "header is missing", "wamid.1"),
        ({"outcome": "recorded"}, "wamid.1", "header is missing"),
        ({"q": "wamid.1"}, "wamid.1", "header is missing"),
        ({"q": " 5541963103529 "}, "wamid.1", "header is missing"),
    ],
)
def test_the_log_is_filtered_by_outcome_and_by_message_id_or_sender(admin_client, query, shown, hidden):
    channel = whatsapp()
    log_deliveries(channel, [LogLine(DeliveryOutcome.RECORDED, source_ref="wamid.1", sender="5541963103529")])
    log_deliveries(channel, [LogLine(DeliveryOutcome.REFUSED, detail="401: header is missing")])

    page = admin_client.get(URL, query).content.decode()

    assert shown in page
    assert hidden not in page.split("</aside>")[1]


def test_the_log_is_filtered_by_channel(admin_client):
    brazil, mexico = whatsapp(), whatsapp(slug="support-mx", name="Support line Mexico")
    log_deliveries(brazil, [LogLine(DeliveryOutcome.RECORDED, source_ref="wamid.br")])
    log_deliveries(mexico, [LogLine(DeliveryOutcome.RECORDED, source_ref="wamid.mx")])

    page = admin_client.get(URL, {"channel": mexico.pk}).content.decode()

    assert "wamid.mx" in page and "wamid.br" not in page


@pytest.mark.parametrize("query", [{"channel": "999999"}, {"channel": "abc"}, {"outcome": "exploded"}])
def test_a_filter_that_cannot_be_read_says_so_and_shows_no_lines(admin_client, query):
    channel = whatsapp()
    log_deliveries(channel, [LogLine(DeliveryOutcome.RECORDED, source_ref="wamid.1")])

    response = admin_client.get(URL, query)

    page = response.content.decode()
    assert response.status_code == 200
    assert "The filters could not be read" in page
    assert "Select a valid choice" in page
    assert "wamid.1" not in page.split("</aside>")[1]


def test_filters_that_match_nothing_say_so(admin_client):
    whatsapp()

    page = admin_client.get(URL, {"q": "wamid.nobody"}).content.decode()

    assert "No deliveries match these filters" in page


def test_only_the_last_24_hours_are_counted_on_a_channel_s_card(admin_client):
    channel = whatsapp()
    InboundDelivery.objects.create(
        channel=channel, outcome=DeliveryOutcome.REFUSED, received_at=timezone.now() - timedelta(days=2)
    )
    log_deliveries(channel, [LogLine(DeliveryOutcome.RECORDED, source_ref="wamid.1")])

    page = admin_client.get(URL).content.decode()

    assert "1 recorded" in page
    assert "1 refused" not in page


def test_the_page_reads_a_bounded_number_of_queries_whatever_the_log(admin_client, django_assert_max_num_queries):
    channels = [whatsapp(slug=f"line-{n}", name=f"Line {n}") for n in range(3)]
    for channel in channels:
        log_deliveries(channel, [LogLine(DeliveryOutcome.RECORDED, source_ref=f"wamid.{n}") for n in range(30)])

    with django_assert_max_num_queries(12):
        response = admin_client.get(URL)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("provider", "url"),
    [
        (Provider.WHATSAPP, "http://testserver/webhooks/whatsapp/line/"),
        (Provider.TWILIO, "http://testserver/webhooks/twilio/line/"),
        (Provider.EMAIL, "http://testserver/webhooks/email/line/"),
    ],
)
def test_each_provider_s_channel_shows_the_url_to_paste_into_its_console(admin_client, superuser_client, provider, url):
    channel = WebhookChannel.objects.create(
        provider=provider, name="Line", slug="line", verify_token="desk-verify-7f3a", secret=SECRET
    )

    assert url in admin_client.get(URL).content.decode()
    assert (
        url.removeprefix("http://testserver")
        in superuser_client.get(f"/admin/intake/webhookchannel/{channel.pk}/change/").content.decode()
    )


def test_the_page_is_in_the_admin_s_language(admin_client):
    channel = whatsapp()
    log_deliveries(channel, [LogLine(DeliveryOutcome.REFUSED, detail="401: The X-Hub-Signature-256 header is missing")])

    page = admin_client.get(URL, headers={"accept-language": "es-MX"}).content.decode()

    assert "Canales" in page and "Últimas 24 horas:" in page and "Rechazado" in page
    assert "1 rechazado" in page
    assert "Last 24 hours" not in page and "What or why" not in page
