"""/webhooks/twilio/<slug>/: Twilio's signed SMS, MMS and Voice requests, each item recorded once, never a 500.

Parameters are Twilio's documented ones (tests/intake/fixtures/README.md names the pages), posted as a form
like Twilio does; every signature is computed by Twilio's own helper library (`RequestValidator`), so the
desk's check is tested against the reference implementation, not against a copy of itself.
"""

from __future__ import annotations

import ast
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from intake.models import DeliveryOutcome, InboundDelivery, Provider, WebhookChannel
from intake.services.twilio import caller_name
from intake.webhooks.transport import MAX_BODY_BYTES
from intake.webhooks.twilio import EMPTY_TWIML, signature, signature_matches
from profiles.models import Contact, EndUser, Identity
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
AUTH_TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"  # the shape of a Twilio auth token: 32 hex characters
PATH = "/webhooks/twilio/support-br/"
URL = "http://testserver" + PATH  # what the test client's request builds as its absolute URI
FORM = "application/x-www-form-urlencoded"


def fixture(name: str, **changes: str) -> dict[str, str]:
    params = json.loads((FIXTURES / name).read_text())
    params.update(changes)
    return {name: value for name, value in params.items() if value is not None}


def sms(**changes) -> dict[str, str]:
    return fixture("twilio_incoming_sms.json", **changes)


def call(**changes) -> dict[str, str]:
    return fixture("twilio_incoming_call.json", **changes)


def status_callback(**changes) -> dict[str, str]:
    """The incoming call's status callback once it ended (what Twilio adds for "Call status changes")."""
    completed = {
        "CallStatus": "completed",
        "CallDuration": "42",
        "Timestamp": "Tue, 09 Dec 2025 14:03:11 +0000",
        "CallbackSource": "call-progress-events",
        "SequenceNumber": "0",
    }
    return call(**{**completed, **changes})


def sign(params: dict[str, str], url: str = URL, token: str = AUTH_TOKEN, algorithm: str | None = None) -> str:
    return RequestValidator(token).compute_signature(url, params, algorithm)


def deliver(client: Client, params: dict[str, str], *, signature: str | None = "valid", path: str = PATH, **extra):
    headers = extra.pop("headers", {})
    if signature == "valid":
        headers["X-Twilio-Signature"] = sign(params)
    elif signature is not None:
        headers["X-Twilio-Signature"] = signature
    return client.post(path, data=urlencode(params), content_type=FORM, headers=headers, **extra)


@pytest.fixture
def channel(db) -> WebhookChannel:
    return WebhookChannel.objects.create(
        provider=Provider.TWILIO, name="Support line Brazil", slug="support-br", secret=AUTH_TOKEN
    )


@pytest.fixture
def twilio(channel) -> Client:
    # CSRF checks on, as for a real caller: Twilio has no CSRF cookie.
    return Client(enforce_csrf_checks=True)


def counts() -> tuple[int, int, int]:
    return EndUser.objects.count(), Identity.objects.count(), Contact.objects.count()


def log_lines() -> list[tuple[str, str, str]]:
    return [(line.outcome, line.source_ref, line.detail) for line in InboundDelivery.objects.order_by("id")]


# --- messages ------------------------------------------------------------------------------------------------


def test_the_documented_sms_creates_a_profile_named_after_the_number_and_an_sms_contact(twilio):
    response = deliver(twilio, sms())

    assert response.status_code == 200
    contact = Contact.objects.select_related("requester", "via_identity").get()
    assert contact.channel == "sms"
    assert contact.summary == "Oi, o boleto do pedido 4471 venceu ontem. Podem mandar outro?"
    assert contact.source_ref == "SM3f1c9b2e7a4d4c0e9b8a6f5d2c1e0a97"
    assert (contact.via_identity.kind, contact.via_identity.normalized) == ("phone", "+5521998765432")
    assert contact.requester.name == "+55 21 99876-5432"  # no name comes with an SMS: derived from the number


def test_every_request_is_answered_with_the_empty_twiml_twilio_expects(twilio):
    response = deliver(twilio, sms())

    assert response["Content-Type"] == "text/xml"
    assert response.content.decode() == '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
    assert response.content.decode() == EMPTY_TWIML


@pytest.mark.parametrize(
    ("kind", "value"),
    [("phone", "+55 21 99876-5432"), ("whatsapp", "5521998765432"), ("phone", "(21) 99876-5432")],
)
def test_an_sms_from_a_number_a_profile_owns_lands_on_that_profile(twilio, kind, value, settings):
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "BR"
    owner = EndUserFactory(name="Luíza Figueiredo")
    add_identity(user=owner, kind=kind, value=value)

    deliver(twilio, sms())

    assert Contact.objects.get().requester_id == owner.pk
    assert EndUser.objects.count() == 1


def test_a_whatsapp_message_through_twilio_is_a_whatsapp_contact_named_after_the_profile_name(twilio):
    params = sms(From="whatsapp:+5521998765432", To="whatsapp:+551150393300", ProfileName="Luíza", WaId="5521998765432")

    deliver(twilio, params)

    contact = Contact.objects.select_related("requester", "via_identity").get()
    assert contact.channel == "whatsapp"
    assert (contact.via_identity.kind, contact.via_identity.normalized) == ("whatsapp", "+5521998765432")
    assert contact.requester.name == "Luíza"


def test_a_mexican_whatsapp_number_with_the_retired_1_lands_on_the_profile_with_the_phone(twilio):
    owner = EndUserFactory(name="Known Customer")
    add_identity(user=owner, kind="phone", value="+52 33 1234 5678")

    deliver(twilio, sms(From="whatsapp:+5213312345678", ProfileName="Other Name", MessageSid="SMmx1"))

    contact = Contact.objects.get()
    assert contact.requester_id == owner.pk
    owner.refresh_from_db()
    assert owner.name == "Known Customer"  # a profile name does not rename a known customer
    assert owner.identities.filter(kind="whatsapp").exists()


def test_a_redelivered_message_is_recorded_once_and_logged_as_a_replay(twilio):
    first = deliver(twilio, sms())
    again = deliver(twilio, sms())

    assert (first.status_code, again.status_code) == (200, 200)
    assert counts() == (1, 1, 1)
    contact = Contact.objects.get()
    lines = list(InboundDelivery.objects.order_by("id"))
    assert [(line.outcome, line.contact_id) for line in lines] == [
        (DeliveryOutcome.RECORDED, contact.pk),
        (DeliveryOutcome.REPLAYED, contact.pk),
    ]
    assert lines[0].sender == "+5521998765432"
    assert lines[0].detail == contact.summary


@pytest.mark.parametrize(
    ("media", "body", "summary"),
    [
        ({"NumMedia": "1", "MediaContentType0": "image/jpeg"}, "Segue a nota", "[image] Segue a nota"),
        ({"NumMedia": "2", "MediaContentType0": "image/jpeg", "MediaContentType1": "image/png"}, "", "[2 images]"),
        (
            {"NumMedia": "2", "MediaContentType0": "audio/ogg", "MediaContentType1": "application/pdf"},
            "Contrato",
            "[audio, document] Contrato",
        ),
        ({"NumMedia": "1", "MediaContentType0": "video/mp4"}, "", "[video]"),
        ({"NumMedia": "x", "MediaContentType0": "image/gif"}, "", "[image]"),  # NumMedia not trusted alone
        ({"NumMedia": "999999"}, "Oi", "[10 documents] Oi"),  # at most 10 attachments are read
        (
            {"Latitude": "-23.5505", "Longitude": "-46.6333", "Label": "Paulista"},
            "",
            "[location] -23.5505,-46.6333 Paulista",
        ),
        ({"ButtonText": "Sim", "ButtonPayload": "YES"}, "Sim", "[button] Sim"),
    ],
)
def test_attachments_are_labelled_in_the_summary_like_whatsapp_does(twilio, media, body, summary):
    deliver(twilio, sms(Body=body, **{name: value for name, value in media.items()}))

    assert Contact.objects.get().summary == summary


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        (
            {"MessageStatus": "delivered", "SmsStatus": "delivered"},
            "A status callback (delivered) of the desk's own message.",
        ),
        ({"SmsStatus": "read"}, "A status callback (read) of the desk's own message."),
        ({"MessageSid": None, "SmsSid": None, "SmsMessageSid": None}, "Neither a message nor a call"),
    ],
)
def test_what_is_not_a_customer_s_message_is_answered_ignored_and_logged_with_why(twilio, changes, why):
    response = deliver(twilio, sms(**changes))

    assert response.status_code == 200
    assert response.content.decode() == EMPTY_TWIML
    assert counts() == (0, 0, 0)
    [(outcome, _, detail)] = log_lines()
    assert outcome == DeliveryOutcome.IGNORED
    assert detail.startswith(why)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"From": None}, "From: The request has no sender (From)."),
        ({"From": "  "}, "From: The request has no sender (From)."),
        ({"From": "+1"}, "contact_point:"),
        ({"From": "messenger:4432190021"}, "From: 'messenger:4432190021' is a messenger address, not a phone number."),
        ({"From": "whatsapp:"}, "contact_point:"),
    ],
)
def test_an_unusable_message_is_answered_200_and_logged_skipped_with_its_reason(twilio, changes, reason, caplog):
    with caplog.at_level("WARNING", logger="intake.services.twilio"):
        response = deliver(twilio, sms(**changes))

    assert response.status_code == 200  # Twilio would otherwise retry, or play its error to a caller
    assert response.content.decode() == EMPTY_TWIML
    assert counts() == (0, 0, 0)
    [(outcome, source_ref, detail)] = log_lines()
    assert (outcome, source_ref) == (DeliveryOutcome.SKIPPED, "SM3f1c9b2e7a4d4c0e9b8a6f5d2c1e0a97")
    assert detail.startswith(reason)
    assert "support-br" in caplog.text and reason[:20] in caplog.text


def test_a_long_profile_name_is_cut_rather_than_losing_the_message(twilio):
    deliver(twilio, sms(From="whatsapp:+5521998765432", ProfileName="N" * 1000))

    assert Contact.objects.get().requester.name == "N" * 255


# --- calls ---------------------------------------------------------------------------------------------------


def test_the_documented_incoming_call_creates_a_voice_contact(twilio):
    response = deliver(twilio, call())

    assert response.status_code == 200
    assert response.content.decode() == EMPTY_TWIML
    contact = Contact.objects.select_related("requester", "via_identity").get()
    assert contact.channel == "voice"
    assert contact.source_ref == "CA7d2e9f4a1b8c5d2e6f3a0b7c4d1e8f5a"
    assert contact.summary == "Incoming call to +525541709000 (ringing)"
    assert (contact.via_identity.kind, contact.via_identity.normalized) == ("phone", "+523312345678")
    assert contact.requester.name == "+52 33 1234 5678"


def test_a_call_s_status_callback_records_when_and_how_the_call_went(twilio):
    deliver(twilio, status_callback(ForwardedFrom="+525541709001"))

    contact = Contact.objects.get()
    assert contact.summary == "Incoming call to +525541709000 (completed, 42 s, forwarded from +525541709001)"
    assert contact.created_at == datetime(2025, 12, 9, 14, 3, 11, tzinfo=UTC)


def test_the_status_callback_of_a_call_already_recorded_is_a_replay(twilio):
    deliver(twilio, call())
    deliver(twilio, status_callback())

    assert counts() == (1, 1, 1)
    assert [outcome for outcome, _, _ in log_lines()] == [DeliveryOutcome.RECORDED, DeliveryOutcome.REPLAYED]


def test_a_call_from_a_number_a_profile_owns_lands_on_that_profile_and_does_not_rename_it(twilio):
    owner = EndUserFactory(name="Guadalupe Ramírez")
    add_identity(user=owner, kind="whatsapp", value="5213312345678")

    deliver(twilio, call(CallerName="LUPE RAMIREZ"))

    assert Contact.objects.get().requester_id == owner.pk
    owner.refresh_from_db()
    assert owner.name == "Guadalupe Ramírez"


@pytest.mark.parametrize(
    ("cnam", "name"),
    [
        ("MARIA GUADALUPE", "Maria Guadalupe"),  # CNAM answers in capitals
        ("Ana Souza", "Ana Souza"),
        ("WIRELESS CALLER", "+52 33 1234 5678"),  # not a name: the profile is named after the number
        ("CELL PHONE   TX", "+52 33 1234 5678"),
        ("UNAVAILABLE", "+52 33 1234 5678"),
        ("5213312345678", "+52 33 1234 5678"),
        ("", "+52 33 1234 5678"),
    ],
)
def test_a_new_caller_is_named_after_a_caller_name_that_is_a_name(twilio, cnam, name):
    deliver(twilio, call(CallerName=cnam))

    assert Contact.objects.get().requester.name == name


def test_caller_name_keeps_mixed_case_and_title_cases_capitals():
    assert caller_name("  JOÃO   DA SILVA ") == "João Da Silva"
    assert caller_name("McDonald Ltda") == "McDonald Ltda"
    assert caller_name("ANONYMOUS") is None


@pytest.mark.parametrize(
    ("changes", "outcome", "said"),
    [
        ({"Direction": "outbound-api"}, DeliveryOutcome.IGNORED, "An outbound call (outbound-api)"),
        ({"Direction": "outbound-dial"}, DeliveryOutcome.IGNORED, "An outbound call (outbound-dial)"),
        ({"RecordingSid": "RE1", "RecordingStatus": "completed"}, DeliveryOutcome.IGNORED, "A recording"),
        ({"From": "client:tommy"}, DeliveryOutcome.SKIPPED, "From: 'client:tommy' is a client address"),
        ({"From": "+266696687"}, DeliveryOutcome.SKIPPED, "contact_point:"),  # how Twilio shows an anonymous caller
        ({"Timestamp": "yesterday"}, DeliveryOutcome.RECORDED, "Incoming call"),  # an odd time: recorded now
    ],
)
def test_outbound_calls_and_recordings_are_ignored_and_unusable_callers_skipped(twilio, changes, outcome, said):
    response = deliver(twilio, call(**changes))

    assert response.status_code == 200
    [(logged, _, detail)] = log_lines()
    assert logged == outcome
    assert detail.startswith(said)


# --- the signature -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signature", "said"),
    [
        (None, "401: The X-Twilio-Signature header is missing"),
        ("", "401: The X-Twilio-Signature header is missing"),
        (sign(sms(), token="0" * 32), "401: The X-Twilio-Signature signature does not match the request to"),
        (sign(sms(Body="Another body")), "401: The X-Twilio-Signature signature does not match"),
        (sign(sms(), url="http://testserver/webhooks/twilio/other/"), "401: The X-Twilio-Signature signature"),
        ("ünïcode=", "401: The X-Twilio-Signature signature does not match"),
    ],
)
def test_a_missing_or_wrong_signature_answers_401_writes_nothing_but_the_inbound_log(twilio, signature, said):
    response = deliver(twilio, sms(), signature=signature)

    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert counts() == (0, 0, 0)
    [(outcome, source_ref, detail)] = log_lines()
    assert (outcome, source_ref) == (DeliveryOutcome.REFUSED, "")
    assert detail.startswith(said)


def test_a_tampered_parameter_breaks_the_signature(twilio):
    params = sms()
    signed = sign(params)

    response = deliver(twilio, {**params, "From": "+5511987650000"}, signature=signed)

    assert response.status_code == 401
    assert counts() == (0, 0, 0)


def test_the_desk_and_twilio_s_request_validator_agree_on_a_real_request(twilio):
    params = sms()
    header = sign(params)
    validator = RequestValidator(AUTH_TOKEN)

    accepted = deliver(twilio, params, signature=header)
    refused = deliver(twilio, params, signature=header[:-2] + "A=")

    assert validator.validate(URL, params, header) is True
    assert accepted.status_code == 200
    assert validator.validate(URL, params, header[:-2] + "A=") is False
    assert refused.status_code == 401


@pytest.mark.parametrize(
    ("requested", "signed"),
    [
        ("https://desk.example.com/webhooks/twilio/x/", "https://desk.example.com/webhooks/twilio/x/"),
        ("https://desk.example.com/webhooks/twilio/x/", "https://desk.example.com:443/webhooks/twilio/x/"),
        ("https://desk.example.com:443/webhooks/twilio/x/", "https://desk.example.com/webhooks/twilio/x/"),
        (
            "http://desk.example.com/webhooks/twilio/x/?a=1&b=%20",
            "http://desk.example.com:80/webhooks/twilio/x/?a=1&b=%20",
        ),
        ("http://desk.example.com:8000/webhooks/twilio/x/", "http://desk.example.com/webhooks/twilio/x/"),
        ("http://desk.example.com:8000/webhooks/twilio/x/", "http://desk.example.com:8000/webhooks/twilio/x/"),
        ("https://desk.example.com/webhooks/twilio/x/", "https://desk.example.com:8443/webhooks/twilio/x/"),
        ("https://desk.example.com/webhooks/twilio/x/", "http://desk.example.com/webhooks/twilio/x/"),
        ("https://desk.example.com/webhooks/twilio/x/", "https://other.example.com/webhooks/twilio/x/"),
    ],
)
def test_the_url_is_accepted_with_or_without_its_port_exactly_when_twilio_s_validator_accepts_it(requested, signed):
    params = QueryDict(mutable=True)
    params.update({"Body": "Olá", "From": "+5521998765432"})
    params.setlist("Repeated", ["b", "a", "b"])
    header = RequestValidator(AUTH_TOKEN).compute_signature(signed, params)

    ours = signature_matches(header, requested, params, AUTH_TOKEN, "HMAC_SHA1")

    assert ours == RequestValidator(AUTH_TOKEN).validate(requested, params, header)


def test_the_signature_is_twilio_s_for_repeated_and_unicode_parameters():
    params = QueryDict(mutable=True)
    params.setlist("MediaUrl0", ["https://api.twilio.com/b", "https://api.twilio.com/a"])
    params.update({"Body": "Açaí 🍇 ñ", "": "empty name", "From": ""})

    assert signature(URL, params, AUTH_TOKEN) == RequestValidator(AUTH_TOKEN).compute_signature(URL, params)


def test_an_https_request_signed_with_the_default_port_is_accepted(twilio):
    params = sms()
    header = sign(params, url="https://testserver:443" + PATH)

    response = deliver(twilio, params, signature=header, secure=True)

    assert response.status_code == 200
    assert Contact.objects.count() == 1


def test_behind_a_tls_proxy_the_signature_matches_only_when_the_desk_trusts_x_forwarded_proto(twilio, settings):
    params = sms()
    header = sign(params, url="https://testserver" + PATH)  # Twilio requested https; the proxy forwards http
    forwarded = {"X-Forwarded-Proto": "https", "X-Twilio-Signature": header}

    untrusted = deliver(twilio, params, signature=None, headers=dict(forwarded))
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # TRUST_X_FORWARDED_PROTO=1
    trusted = deliver(twilio, params, signature=None, headers=dict(forwarded))

    assert untrusted.status_code == 401
    assert "http://testserver/webhooks/twilio/support-br/" in untrusted.json()["message"]
    assert trusted.status_code == 200


def test_a_webhooks_rule_s_sharedkey_signature_is_checked_with_the_algorithm_it_names(twilio):
    params = sms()
    settings_header = "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256"
    sha256 = sign(params, algorithm="HMAC_SHA256")
    headers = {"X-Twilio-Webhooks-Signature-Settings": settings_header}

    accepted = deliver(twilio, params, signature=sha256, headers=dict(headers))
    sha1_under_sha256 = deliver(twilio, params, signature=sign(params), headers=dict(headers))
    unknown = deliver(
        twilio, params, signature=sha256, headers={"X-Twilio-Webhooks-Signature-Settings": "algorithm=HMAC_MD5"}
    )

    assert accepted.status_code == 200
    assert RequestValidator(AUTH_TOKEN).validate(URL, params, sha256, "HMAC_SHA256") is True
    assert sha1_under_sha256.status_code == 401
    assert unknown.status_code == 401
    assert "'HMAC_MD5'" in unknown.json()["message"]


# --- transport -----------------------------------------------------------------------------------------------


def test_an_unknown_channel_answers_404(twilio):
    response = deliver(twilio, sms(), path="/webhooks/twilio/nope/")

    assert response.status_code == 404
    assert "No Twilio channel 'nope'" in response.json()["message"]


def test_a_whatsapp_channel_s_slug_is_not_a_twilio_channel(twilio):
    WebhookChannel.objects.create(
        provider=Provider.WHATSAPP, name="Meta", slug="meta-br", verify_token="verify-token-1", secret=AUTH_TOKEN
    )

    assert deliver(twilio, sms(), path="/webhooks/twilio/meta-br/").status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_than_post_answer_405_saying_to_choose_post(twilio, method):
    response = getattr(twilio, method)(PATH)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "choose HTTP POST" in response.json()["message"]
    assert log_lines() == []


def test_an_oversized_body_answers_413_and_writes_nothing_but_the_inbound_log(twilio):
    response = deliver(twilio, sms(Body="x" * MAX_BODY_BYTES))

    assert response.status_code == 413
    assert counts() == (0, 0, 0)
    [(outcome, _, detail)] = log_lines()
    assert outcome == DeliveryOutcome.REFUSED
    assert detail.startswith("413:")


def test_the_channel_s_callback_path_is_this_webhook(channel):
    assert channel.callback_path == PATH


def test_a_known_customer_texting_again_costs_a_handful_of_queries(twilio, django_assert_max_num_queries):
    deliver(twilio, sms(MessageSid="SMfirst"))

    with django_assert_max_num_queries(8) as captured:
        response = deliver(twilio, sms(MessageSid="SMsecond"))

    assert response.status_code == 200
    # The channel, the lookup, the contact, the routing rules' stamp, the contact's route, the log line; the
    # two INSERTs of the contact are wrapped in a savepoint (a transaction in autocommit).
    statements = [query["sql"].split()[0] for query in captured.captured_queries]
    assert [word for word in statements if word not in ("SAVEPOINT", "RELEASE")] == [
        "SELECT",
        "SELECT",
        "INSERT",
        "SELECT",
        "INSERT",
        "INSERT",
    ]
    assert Contact.objects.count() == 2


# --- never a 500 ---------------------------------------------------------------------------------------------

texts = st.text(max_size=30)
twilio_like = st.fixed_dictionaries(
    {},
    optional={
        "From": st.sampled_from(
            ["+5521998765432", "whatsapp:+5213312345678", "+1", "client:x", "whatsapp:", "sip:a@b", ""]
        )
        | texts,
        "MessageSid": st.sampled_from(["SM1", "SM2", ""]) | texts,
        "CallSid": st.sampled_from(["CA1", ""]) | texts,
        "Direction": st.sampled_from(["inbound", "outbound-api"]) | texts,
        "MessageStatus": st.sampled_from(["received", "delivered"]) | texts,
        "NumMedia": st.sampled_from(["0", "3", "-1", "99999999999999999999"]) | texts,
        "MediaContentType0": texts,
        "CallerName": texts,
        "ProfileName": texts,
        "Timestamp": st.sampled_from(["Tue, 09 Dec 2025 14:03:11 +0000", "Mon, 99 Foo 0000"]) | texts,
        "CallDuration": texts,
        "Latitude": texts,
        "Longitude": texts,
        "Body": texts,
    },
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=twilio_like | st.dictionaries(texts, texts, max_size=6))
@example(params={"CallSid": "CA\x00", "From": "+5511987654321"})  # PostgreSQL refuses NUL in text
def test_any_correctly_signed_form_is_answered_200_with_twiml_never_a_server_error(channel, params):
    # The test client re-raises any exception in the view, so an unhandled case fails here, not as a 500.
    response = deliver(Client(), params)

    assert response.status_code == 200
    assert response.content.decode() == EMPTY_TWIML


def test_the_product_does_not_import_twilio_s_library():
    # Twilio's helper library is a test dependency only (requirements-dev.txt): the desk checks signatures itself.
    root = Path(__file__).resolve().parents[2]
    importers = [
        path.relative_to(root).as_posix()
        for app in ("zdusers", "profiles", "organizations", "intake", "imports", "devtools")
        for path in (root / app).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if (isinstance(node, ast.Import) and any(alias.name.split(".")[0] == "twilio" for alias in node.names))
        or (isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "twilio")
    ]
    assert importers == []
