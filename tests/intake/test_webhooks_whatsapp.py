"""/webhooks/whatsapp/<slug>/: Meta's handshake, signed notifications, each message recorded once, never a 500.

Payloads are Meta's documented samples (tests/intake/fixtures/README.md names the pages); signatures are
real HMAC-SHA256s of the exact bytes posted, computed here with the channel's app secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.models import DeliveryOutcome, InboundDelivery, Provider, WebhookChannel
from intake.webhooks.transport import MAX_BODY_BYTES
from profiles.models import Contact, EndUser, Identity
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "0123456789abcdef0123456789abcdef"  # the shape of a Meta app secret: 32 hex characters
VERIFY = "desk-verify-token-7f3a"
URL = "/webhooks/whatsapp/support-br/"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def channel(db) -> WebhookChannel:
    return WebhookChannel.objects.create(
        provider=Provider.WHATSAPP, name="Support line Brazil", slug="support-br", verify_token=VERIFY, secret=SECRET
    )


@pytest.fixture
def meta(channel) -> Client:
    # CSRF checks on, as for a real caller: Meta has no CSRF cookie.
    return Client(enforce_csrf_checks=True)


def deliver(client: Client, payload, *, signature: str | None = "valid", url: str = URL):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {}
    if signature == "valid":
        headers["X-Hub-Signature-256"] = sign(body)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return client.post(url, data=body, content_type="application/json", headers=headers)


def text_message(wa_id: str, message_id: str, body: str = "Olá", name: str | None = "Cliente") -> dict:
    """Meta's text sample with another sender and message id."""
    payload = fixture("whatsapp_text_message.json")
    value = payload["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = wa_id
    if name is None:
        del value["contacts"]
    else:
        value["contacts"][0]["profile"]["name"] = name
    value["messages"][0].update({"from": wa_id, "id": message_id, "text": {"body": body}})
    return payload


def counts() -> tuple[int, int, int]:
    return EndUser.objects.count(), Identity.objects.count(), Contact.objects.count()


# --- the verification handshake ----------------------------------------------------------------------------


def test_handshake_with_the_channel_s_verify_token_answers_the_challenge_as_text(meta):
    response = meta.get(URL, {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"1158201444"


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"hub.mode": "subscribe", "hub.verify_token": "wrong-token-123", "hub.challenge": "1"}, "does not match"),
        ({"hub.mode": "subscribe", "hub.challenge": "1"}, "does not match"),
        ({"hub.mode": "unsubscribe", "hub.verify_token": VERIFY, "hub.challenge": "1"}, "must be subscribe"),
    ],
)
def test_handshake_with_a_wrong_token_or_mode_is_refused_with_403(meta, query, said):
    response = meta.get(URL, query)

    assert response.status_code == 403
    assert said in response.json()["message"]
    assert response.content != b"1"


def test_an_unknown_channel_answers_404_and_other_methods_405(meta):
    unknown = meta.get("/webhooks/whatsapp/nope/", {"hub.mode": "subscribe", "hub.verify_token": VERIFY})
    put = meta.put(URL, data=b"{}")

    assert unknown.status_code == 404
    assert "No WhatsApp channel 'nope'" in unknown.json()["message"]
    assert put.status_code == 405
    assert put["Allow"] == "GET, POST"


# --- signed notifications ----------------------------------------------------------------------------------


def test_meta_s_text_sample_creates_a_profile_named_after_the_sender_and_a_contact(meta):
    response = deliver(meta, fixture("whatsapp_text_message.json"))

    assert response.status_code == 200
    assert response.json() == {"recorded": 1, "replayed": 0, "statuses": 0, "skipped": [], "ignored": []}
    contact = Contact.objects.select_related("requester", "via_identity").get()
    assert contact.requester.name == "Luíza Figueiredo"
    assert contact.channel == "whatsapp"
    assert contact.summary == "Oi! O pedido 4471 ainda não chegou, podem verificar?"
    assert contact.source_ref == "wamid.HBgNNTUxMTk4NzY1MTIzNBUCABIYFDNBRjFDMEQ2QjcyRTQ1OUQ4QTlFAA=="
    assert contact.created_at == datetime.fromtimestamp(1765108800, tz=UTC)
    assert (contact.via_identity.kind, contact.via_identity.normalized) == ("whatsapp", "+5511987651234")


@pytest.mark.parametrize(
    ("wa_id", "phone"),
    [
        ("5219999597727", "+52 999 959 7727"),  # Mexico: WhatsApp keeps the "1" retired in 2019
        ("554163103529", "+55 41 96310-3529"),  # Brazil: an account from before the ninth digit
    ],
)
def test_a_wa_id_lands_on_the_profile_that_has_the_number_as_its_phone(meta, wa_id, phone):
    owner = EndUserFactory(name="Known Customer")
    add_identity(user=owner, kind="phone", value=phone)

    response = deliver(meta, text_message(wa_id, f"wamid.{wa_id}.1", name="Other Name"))

    assert response.status_code == 200
    assert response.json()["recorded"] == 1
    contact = Contact.objects.get()
    assert contact.requester_id == owner.pk
    assert EndUser.objects.count() == 1
    owner.refresh_from_db()
    assert owner.name == "Known Customer"  # a WhatsApp profile name does not rename a known customer
    assert owner.identities.filter(kind="whatsapp").exists()


@pytest.mark.parametrize(
    ("signature", "said"),
    [
        (None, "is missing"),
        ("", "is missing"),
        (sign(b"another body"), "does not match"),
        ("sha256=" + "0" * 64, "does not match"),
        ("sha1=deadbeef", "does not match"),
        ("sha256=ünïcode", "does not match"),
    ],
)
def test_a_wrong_or_missing_signature_answers_401_and_writes_nothing(meta, signature, said):
    response = deliver(meta, fixture("whatsapp_text_message.json"), signature=signature)

    assert response.status_code == 401
    assert said in response.json()["message"]
    assert counts() == (0, 0, 0)


def test_a_signature_made_with_another_app_secret_answers_401(meta):
    body = json.dumps(fixture("whatsapp_text_message.json")).encode()

    response = deliver(meta, body, signature=sign(body, secret="another-apps-secret-000"))

    assert response.status_code == 401
    assert counts() == (0, 0, 0)


def test_a_redelivered_notification_is_recorded_once(meta):
    payload = fixture("whatsapp_text_message.json")

    first = deliver(meta, payload)
    again = deliver(meta, payload)

    assert first.json()["recorded"] == 1
    assert again.status_code == 200
    assert (again.json()["recorded"], again.json()["replayed"]) == (0, 1)
    assert counts() == (1, 1, 1)


def test_a_status_only_notification_is_acknowledged_and_writes_nothing(meta):
    response = deliver(meta, fixture("whatsapp_status.json"))

    assert response.status_code == 200
    assert response.json()["statuses"] == 1
    assert response.json()["recorded"] == 0
    assert counts() == (0, 0, 0)


def test_a_bad_message_is_skipped_and_the_good_ones_are_recorded(meta):
    payload = text_message("5511987654321", "wamid.good.1", body="Primeira")
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"] += [
        {"from": "not a number", "id": "wamid.bad.1", "timestamp": "1749416400", "type": "text", "text": {}},
        {"from": "5511987654321", "timestamp": "1749416401", "type": "text", "text": {"body": "no id"}},
        "not an object",
        {**value["messages"][0], "id": "wamid.good.2", "text": {"body": "Segunda"}},
    ]

    response = deliver(meta, payload)

    assert response.status_code == 200
    answer = response.json()
    assert answer["recorded"] == 2
    assert [item["id"] for item in answer["skipped"]] == ["wamid.bad.1", "", ""]
    assert "contact_point" in answer["skipped"][0]["reason"]
    assert "no id" in answer["skipped"][1]["reason"]
    assert sorted(Contact.objects.values_list("summary", flat=True)) == ["Primeira", "Segunda"]


def test_a_skipped_message_is_logged_with_its_reason(meta, caplog):
    payload = text_message("5511987654321", "wamid.bad.2")
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = "yesterday"

    with caplog.at_level("WARNING", logger="intake.services.whatsapp"):
        deliver(meta, payload)

    assert "support-br" in caplog.text
    assert "wamid.bad.2" in caplog.text
    assert "timestamp must be Unix seconds" in caplog.text


@pytest.mark.parametrize(
    ("message", "summary"),
    [
        (
            {"type": "image", "image": {"caption": "Nota fiscal", "mime_type": "image/jpeg", "id": "1"}},
            "[image] Nota fiscal",
        ),
        ({"type": "audio", "audio": {"mime_type": "audio/ogg", "id": "2", "voice": True}}, "[audio]"),
        ({"type": "document", "document": {"caption": "Contrato", "filename": "c.pdf"}}, "[document] Contrato c.pdf"),
        (
            {"type": "location", "location": {"latitude": -23.5505, "longitude": -46.6333, "name": "Paulista"}},
            "[location] -23.5505,-46.6333 Paulista",
        ),
        ({"type": "sticker", "sticker": {"animated": False, "id": "3"}}, "[sticker]"),
        ({"type": "reaction", "reaction": {"message_id": "wamid.x", "emoji": "👍"}}, "[reaction] 👍"),
        ({"type": "button", "button": {"text": "Sim", "payload": "YES"}}, "[button] Sim"),
        (
            {
                "type": "interactive",
                "interactive": {"type": "list_reply", "list_reply": {"id": "1", "title": "Boleto"}},
            },
            "[interactive] Boleto",
        ),
        ({"type": "contacts", "contacts": [{"name": {"formatted_name": "Ana Souza"}}]}, "[contacts] Ana Souza"),
        ({"type": "unsupported", "errors": [{"code": 131051}]}, "[unsupported]"),
        ({"type": "holographic_call", "holographic_call": "?"}, "[holographic_call]"),
    ],
)
def test_other_message_types_are_labelled_in_the_summary(meta, message, summary):
    payload = text_message("5511987654321", "wamid.typed.1")
    item = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    del item["text"]
    item.update(message)

    response = deliver(meta, payload)

    assert response.json()["recorded"] == 1
    assert Contact.objects.get().summary == summary


def test_a_message_without_a_sender_name_gets_a_name_derived_from_the_number(meta):
    deliver(meta, text_message("5511987654321", "wamid.anon.1", name=None))

    assert Contact.objects.get().requester.name  # derived by intake, never empty


def test_an_oversized_body_answers_413_and_writes_nothing(meta):
    payload = fixture("whatsapp_text_message.json")
    payload["padding"] = "x" * MAX_BODY_BYTES

    response = deliver(meta, payload)

    assert response.status_code == 413
    assert f"{MAX_BODY_BYTES:,}" in response.json()["message"]
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("body", [b"not json", b"", b"\xff\xfe{}", b'{"object": NaN}'])
def test_a_signed_body_that_is_not_json_answers_400(meta, body):
    response = deliver(meta, body)

    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"


def test_a_notification_of_another_object_or_field_is_acknowledged_and_ignored(meta):
    page = {"object": "page", "entry": []}
    account = fixture("whatsapp_text_message.json")
    account["entry"][0]["changes"][0]["field"] = "account_update"

    answers = [deliver(meta, page), deliver(meta, account)]

    assert [answer.status_code for answer in answers] == [200, 200]
    assert all(answer.json()["ignored"] for answer in answers)
    assert counts() == (0, 0, 0)


# --- never a 500 ---------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
message_like = st.fixed_dictionaries(
    {},
    optional={
        "from": st.sampled_from(["5219999597727", "554163103529", "5511987651234", "", "x", 5511987654321])
        | json_values,
        "id": st.text(max_size=300) | json_values,
        "timestamp": st.sampled_from(["1765108800", "-1", "99999999999999999999", "1e9"]) | json_values,
        "type": st.sampled_from(["text", "image", "location", "interactive", "contacts", "reaction"]) | json_values,
        "text": json_values,
        "image": json_values,
        "location": json_values,
        "interactive": json_values,
        "contacts": json_values,
    },
)
notification_like = st.fixed_dictionaries(
    {
        "object": st.sampled_from(["whatsapp_business_account"]) | json_values,
        "entry": st.lists(
            st.fixed_dictionaries(
                {
                    "changes": st.lists(
                        st.fixed_dictionaries(
                            {
                                "field": st.sampled_from(["messages"]) | json_values,
                                "value": st.fixed_dictionaries(
                                    {},
                                    optional={
                                        "contacts": st.lists(
                                            st.fixed_dictionaries(
                                                {"wa_id": json_values, "profile": json_values},
                                            ),
                                            max_size=2,
                                        )
                                        | json_values,
                                        "messages": st.lists(message_like, max_size=3) | json_values,
                                        "statuses": json_values,
                                    },
                                ),
                            }
                        )
                        | json_values,
                        max_size=2,
                    )
                    | json_values
                }
            )
            | json_values,
            max_size=2,
        )
        | json_values,
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.binary(max_size=200)
    | json_values.map(lambda v: json.dumps(v).encode())
    | notification_like.map(lambda v: json.dumps(v).encode())
)
def test_any_signed_body_is_answered_without_a_server_error(channel, body):
    # The test client re-raises any exception in the view, so an unhandled case fails here, not as a 500.
    response = deliver(Client(), body)

    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"


def test_a_long_sender_name_is_cut_rather_than_losing_the_message(meta):
    response = deliver(meta, text_message("5511987654321", "wamid.long.1", name="N" * 1000))

    assert response.json()["recorded"] == 1
    assert Contact.objects.get().requester.name == "N" * 255


# --- the inbound log ---------------------------------------------------------------------------------------


def log_lines() -> list[tuple[str, str, str]]:
    return [(line.outcome, line.source_ref, line.detail) for line in InboundDelivery.objects.order_by("id")]


def test_each_message_s_fate_goes_to_the_channel_s_inbound_log_with_its_contact(meta):
    payload = fixture("whatsapp_text_message.json")
    message_id = payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]

    deliver(meta, payload)
    deliver(meta, payload)
    deliver(meta, fixture("whatsapp_status.json"))

    contact = Contact.objects.get()
    lines = list(InboundDelivery.objects.order_by("id"))
    assert [(line.outcome, line.source_ref) for line in lines] == [
        (DeliveryOutcome.RECORDED, message_id),
        (DeliveryOutcome.REPLAYED, message_id),
        (DeliveryOutcome.IGNORED, ""),
    ]
    assert lines[0].contact_id == lines[1].contact_id == contact.pk
    assert lines[0].detail == contact.summary
    assert lines[0].sender == payload["entry"][0]["changes"][0]["value"]["messages"][0]["from"]
    assert lines[2].detail == "1 status of the desk's own messages"


def test_a_skipped_message_is_in_the_inbound_log_with_its_reason(meta):
    deliver(meta, text_message("12", "wamid.too-short"))

    [(outcome, source_ref, detail)] = log_lines()
    assert (outcome, source_ref) == (DeliveryOutcome.SKIPPED, "wamid.too-short")
    assert detail.startswith("contact_point:")


@pytest.mark.parametrize(
    ("signature", "said"),
    [
        (None, "401: The X-Hub-Signature-256 header is missing"),
        ("sha256=" + "0" * 64, "401: The X-Hub-Signature-256 signature does not match"),
    ],
)
def test_a_refused_notification_is_in_the_inbound_log_and_nothing_else_is_written(meta, signature, said):
    deliver(meta, fixture("whatsapp_text_message.json"), signature=signature)

    [(outcome, source_ref, detail)] = log_lines()
    assert (outcome, source_ref) == (DeliveryOutcome.REFUSED, "")
    assert detail.startswith(said)
    assert counts() == (0, 0, 0)


def test_a_failed_handshake_is_in_the_inbound_log(meta):
    meta.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "wrong-token", "hub.challenge": "1"})

    [(outcome, _, detail)] = log_lines()
    assert outcome == DeliveryOutcome.REFUSED
    assert "hub.verify_token does not match" in detail
