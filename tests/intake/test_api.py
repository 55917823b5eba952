"""POST /api/inbound/: token auth, JSON only, precise errors, idempotent replays, batches item by item."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from intake.api import MAX_BATCH, MAX_BODY_BYTES
from organizations.models import Membership
from profiles.identities import CHANNEL_KINDS
from profiles.models import Contact, EndUser, Identity
from profiles.services.identities import add_identity
from tests.factories import ApiTokenFactory, EndUserFactory
from zdusers.models import ApiToken

pytestmark = pytest.mark.django_db

URL = "/api/inbound/"
RAW = "zdu_test-secret-for-the-inbound-api-0123456789"


@pytest.fixture
def token(db) -> ApiToken:
    return ApiTokenFactory(raw=RAW, name="WhatsApp connector")


@pytest.fixture
def api(token) -> Client:
    # CSRF checks on, as for a real client: the token-authenticated API must not need a CSRF token.
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {RAW}"})


def post(client: Client, body, content_type: str = "application/json", **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type, **extra)


def counts() -> tuple[int, int, int, int]:
    return (EndUser.objects.count(), Identity.objects.count(), Contact.objects.count(), Membership.objects.count())


def message(
    channel="whatsapp", contact_point="+55 11 98765-4321", source_ref="wamid.HBgM001", **fields
) -> dict[str, object]:
    return {"channel": channel, "contact_point": contact_point, "source_ref": source_ref, **fields}


# --- created and replayed -------------------------------------------------------------------------------------


def test_a_contact_from_a_new_number_creates_profile_and_contact_and_answers_201(api):
    response = post(
        api,
        message(
            name="Ana Souza",
            subject="Pedido 1234",
            summary="Oi! Meu pedido não chegou.",
            occurred_at="2026-11-25T14:03:00-03:00",
            identities=[{"kind": "email", "value": "ana@example.com"}],
        ),
    )
    assert response.status_code == 201
    user, contact = EndUser.objects.get(), Contact.objects.get()
    assert response.json() == {
        "result": "created",
        "user_id": user.pk,
        "contact_id": contact.pk,
        "created_user": True,
        "conflicts": [],
    }
    assert (user.name, user.source) == ("Ana Souza", "channel")
    assert sorted(user.identities.values_list("kind", "normalized")) == [
        ("email", "ana@example.com"),
        ("whatsapp", "+5511987654321"),
    ]
    assert (contact.channel, contact.subject, contact.summary, contact.source_ref) == (
        "whatsapp",
        "Pedido 1234",
        "Oi! Meu pedido não chegou.",
        "wamid.HBgM001",
    )
    assert contact.created_at.isoformat() == "2026-11-25T17:03:00+00:00"


def test_the_same_message_again_answers_200_with_the_first_ids_and_writes_nothing(api):
    first = post(api, message()).json()
    before = counts()
    response = post(api, message(subject="changed"))
    assert response.status_code == 200
    assert response.json() == {
        "result": "replay",
        "user_id": first["user_id"],
        "contact_id": first["contact_id"],
        "created_user": False,
        "conflicts": [],
    }
    assert counts() == before


def test_a_known_customer_gets_the_contact_and_conflicts_name_the_other_owner(api):
    ana = EndUserFactory(name="Ana Souza")
    add_identity(user=ana, kind="whatsapp", value="+5511987654321")
    bruno = EndUserFactory(name="Bruno Lima")
    add_identity(user=bruno, kind="email", value="bruno@example.com")
    response = post(api, message(identities=[{"kind": "email", "value": "BRUNO@example.com"}]))
    assert response.status_code == 201
    body = response.json()
    assert (body["user_id"], body["created_user"]) == (ana.pk, False)
    assert body["conflicts"] == [
        {"kind": "email", "value": "bruno@example.com", "owner_id": bruno.pk, "owner_name": "Bruno Lima"}
    ]


def test_numbers_may_be_json_numbers(api):
    response = post(api, {"channel": "sms", "contact_point": 5511987654321, "source_ref": 9001})
    assert response.status_code == 201
    assert Contact.objects.get().source_ref == "9001"


def test_a_staff_session_is_no_substitute_for_a_token(agent_client):
    response = post(agent_client, message())
    assert response.status_code == 401
    assert counts()[:3] == (0, 0, 0)


# --- authentication -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "text"),
    [
        (None, "Authentication is required: send the header `Authorization: Bearer <token>`."),
        ("Basic dXNlcjpwYXNz", "The Authorization header must be `Bearer <token>`."),
        ("Bearer", "The Authorization header must be `Bearer <token>`."),
        (
            "Bearer zdu_not-a-token-anyone-was-given",
            "This API token is not known; check it or ask an admin for a new one.",
        ),
    ],
)
def test_a_missing_or_unknown_token_answers_401_and_writes_nothing(token, header, text):
    client = Client(headers={"Authorization": header} if header else {})
    response = post(client, message())
    assert response.status_code == 401
    assert response.json() == {"error": "unauthorized", "message": text}
    assert response["WWW-Authenticate"] == 'Bearer realm="zdusers"'
    assert counts() == (0, 0, 0, 0)


def test_a_revoked_token_answers_403_and_writes_nothing(api, token):
    token.revoked_at = timezone.now() - timedelta(days=1)
    token.save()
    response = post(api, message())
    assert response.status_code == 403
    assert response.json() == {
        "error": "forbidden",
        "message": f"This API token (zdu_test-sec…) was revoked on {token.revoked_at:%Y-%m-%d %H:%M} UTC; "
        "ask an admin for a new one.",
    }
    assert counts() == (0, 0, 0, 0)


def test_the_scheme_is_case_insensitive_and_use_is_recorded(token):
    client = Client(headers={"Authorization": f"bearer   {RAW}"})
    assert post(client, message()).status_code == 201
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- request-level refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_answer_405_with_allow_post(api, method):
    response = getattr(api, method)(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["error"] == "method_not_allowed"


def test_anonymous_visitors_get_json_not_the_login_page(client):
    assert client.get(URL).status_code == 405
    assert client.post(URL, "{}", content_type="application/json").status_code == 401


@pytest.mark.parametrize(
    ("content_type", "text"),
    [
        ("text/plain", "Send the body as JSON with Content-Type: application/json (got text/plain)."),
        (
            "application/x-www-form-urlencoded",
            "Send the body as JSON with Content-Type: application/json (got application/x-www-form-urlencoded).",
        ),
        ("application/json; charset=latin-1", "JSON must be encoded as UTF-8 (got charset=latin-1)."),
    ],
)
def test_a_body_that_is_not_json_answers_415(api, content_type, text):
    response = post(api, json.dumps(message()), content_type=content_type)
    assert response.status_code == 415
    assert response.json() == {"error": "unsupported_media_type", "message": text}
    assert counts() == (0, 0, 0, 0)


def test_utf8_json_with_a_charset_parameter_is_accepted(api):
    assert post(api, message(), content_type="application/json; charset=UTF-8").status_code == 201


def test_a_body_over_the_limit_answers_413_and_writes_nothing(api):
    body = json.dumps(message(summary="x" * MAX_BODY_BYTES))
    response = post(api, body)
    assert response.status_code == 413
    assert response.json() == {
        "error": "payload_too_large",
        "message": f"The body is {len(body):,} bytes; the limit is 2,097,152 bytes. Send fewer contacts per request.",
    }
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ('{"channel": "email",', "The body is not valid JSON: Expecting property name enclosed in double quotes"),
        ("  \n", "The body is empty; send a JSON object."),
        ('{"channel": NaN}', "The body is not valid JSON: NaN is not a JSON value."),
        (b'{"name": "Jo\xe3o"}', "The body is not UTF-8 (byte 12); send JSON encoded as UTF-8."),
        ("[" * 100_000 + "]" * 100_000, "The body is not valid JSON: it is nested too deeply."),
    ],
)
def test_malformed_json_answers_400_saying_where(api, body, text):
    response = post(api, body)
    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"
    assert response.json()["message"].startswith(text)
    assert counts() == (0, 0, 0, 0)


def test_malformed_json_names_line_and_column(api):
    response = post(api, '{\n  "channel": "email",\n  "contact_point" "ana@example.com"\n}')
    assert response.json()["message"] == "The body is not valid JSON: Expecting ':' delimiter at line 3, column 19."


# --- field errors ---------------------------------------------------------------------------------------------


def field_errors(api, body) -> list[dict]:
    response = post(api, body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert counts() == (0, 0, 0, 0)
    return response.json()["errors"]


def test_a_json_array_is_not_a_contact(api):
    assert field_errors(api, [message()]) == [{"field": "", "message": "The body must be a JSON object, not a list."}]


def test_missing_required_fields_are_each_named(api):
    assert field_errors(api, {"subject": "Hi"}) == [
        {"field": "channel", "message": "channel is required."},
        {"field": "contact_point", "message": "contact_point is required."},
        {"field": "source_ref", "message": "source_ref is required."},
    ]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"channel": "fax"},
            [
                (
                    "channel",
                    f"'fax' is not an inbound channel; use one of {', '.join(CHANNEL_KINDS)}.",
                )
            ],
        ),
        (
            {"channel": "voice", "contact_point": "+55 11 1234"},
            [("contact_point", "'+55 11 1234' is not a valid phone number: it is too short for +55 (BR).")],
        ),
        (
            {"summary": "é" * 40_000},
            [("summary", "The summary is 80,000 bytes long; the limit is 65,536 bytes (64 KiB).")],
        ),
        ({"subject": "s" * 256}, [("subject", "The subject is 256 characters long; the limit is 255.")]),
        (
            {"body": "Oi"},
            [
                (
                    "body",
                    "Unknown field 'body' (did you mean summary?); a contact has channel, contact_point, source_ref, "
                    "occurred_at, name, subject, summary, identities.",
                )
            ],
        ),
        ({"channel": 3}, [("channel", "channel must be a string, not a number.")]),
        ({"subject": ["a"]}, [("subject", "subject must be a string, not a list.")]),
        (
            {"occurred_at": "2026-11-25 14:03"},
            [
                (
                    "occurred_at",
                    "occurred_at must be an ISO 8601 time with an offset, e.g. 2026-11-25T14:03:00Z "
                    "(got '2026-11-25 14:03').",
                )
            ],
        ),
        (
            {"occurred_at": "0001-01-01T00:00:00Z"},
            [
                (
                    "occurred_at",
                    "occurred_at 0001-01-01T00:00:00+00:00 is not a time a contact can have happened: use a time "
                    "from 1990-01-01 to now (a clock up to a day ahead is tolerated).",
                )
            ],
        ),
        (
            {"occurred_at": "9999-12-31T23:59:59Z"},
            [
                (
                    "occurred_at",
                    "occurred_at 9999-12-31T23:59:59+00:00 is not a time a contact can have happened: use a time "
                    "from 1990-01-01 to now (a clock up to a day ahead is tolerated).",
                )
            ],
        ),
        (
            {"source_ref": "   "},
            [("source_ref", "The source_ref is blank; send the connector's message id or leave it out.")],
        ),
        (
            {"summary": "a\u0000b"},
            [("summary", "The summary contains a NUL character (\\u0000), which cannot be stored.")],
        ),
        (
            {"identities": {"email": "a@example.com"}},
            [("identities", 'identities must be a list of {"kind", "value"} objects, not an object.')],
        ),
        (
            {"identities": [{"kind": "email"}, {"kind": "email", "value": "nope"}]},
            [
                ("identities[0]", "identities[0] must be an object with exactly the keys kind and value."),
                ("identities[1].value", "'nope' is not a valid email address: it has no @."),
            ],
        ),
    ],
)
def test_invalid_fields_answer_400_with_one_error_per_field_and_write_nothing(api, fields, errors):
    got = field_errors(api, message(**fields))
    assert [(error["field"], error["message"]) for error in got] == errors


def test_a_contact_the_data_cannot_take_answers_409_and_writes_nothing(api):
    first = EndUserFactory(name="Ana")
    add_identity(user=first, kind="email", value="ana@example.com")
    second = EndUserFactory(name="Ana Souza", merged_into=first)
    EndUser.objects.filter(pk=first.pk).update(merged_into=second)
    before = counts()
    response = post(api, message(channel="email", contact_point="ana@example.com"))
    assert response.status_code == 409
    assert response.json() == {
        "error": "conflict",
        "message": f"The merged profiles #{first.pk} → #{second.pk} → #{first.pk} point at each other in a loop; "
        "fix merged_into first.",
    }
    assert counts() == before


# --- batches --------------------------------------------------------------------------------------------------


def test_a_batch_records_each_item_on_its_own_and_answers_207_with_per_item_statuses(api):
    known = post(api, message(source_ref="wamid.0")).json()
    response = post(
        api,
        {
            "contacts": [
                message(source_ref="wamid.0"),  # delivered before: replay
                message(channel="email", contact_point="bruno@example.com", source_ref="msg-1"),
                message(channel="voice", contact_point="+55 11 1234", source_ref="call-1"),  # invalid
                "not a contact",
                message(channel="email", contact_point="bruno@example.com", source_ref="msg-1"),  # repeated in batch
            ]
        },
    )
    assert response.status_code == 207
    body = response.json()
    assert (body["created"], body["replayed"], body["invalid"], body["failed"]) == (1, 2, 2, 0)
    results = body["results"]
    assert [(r["index"], r["status"]) for r in results] == [(0, 200), (1, 201), (2, 400), (3, 400), (4, 200)]
    assert (results[0]["result"], results[0]["contact_id"]) == ("replay", known["contact_id"])
    bruno = EndUser.objects.get(identities__normalized="bruno@example.com")
    assert (results[1]["user_id"], results[1]["created_user"]) == (bruno.pk, True)
    assert results[2]["errors"] == [
        {
            "field": "contact_point",
            "message": "'+55 11 1234' is not a valid phone number: it is too short for +55 (BR).",
        }
    ]
    assert results[3]["errors"] == [{"field": "", "message": "A contact must be a JSON object, not a string."}]
    assert results[4]["contact_id"] == results[1]["contact_id"]
    # The invalid item left nothing behind: two profiles, each with its contact.
    assert (EndUser.objects.count(), Contact.objects.count()) == (2, 2)
    assert not Identity.objects.filter(kind="phone").exists()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"contacts": []}, [("contacts", "contacts is empty; send at least one contact.")]),
        ({"contacts": {"a": 1}}, [("contacts", "contacts must be a list of contacts, not an object.")]),
        (
            {"contacts": [message()] * (MAX_BATCH + 1)},
            [("contacts", "A batch holds at most 100 contacts (got 101); split it.")],
        ),
        (
            {"contacts": [message()], "channel": "email"},
            [("", 'Send either one contact or {"contacts": [...]}, not both (also got: channel).')],
        ),
    ],
)
def test_a_malformed_batch_is_refused_whole(api, body, errors):
    got = field_errors(api, body)
    assert [(error["field"], error["message"]) for error in got] == errors


def test_a_full_batch_of_known_customers_takes_a_bounded_number_of_queries(api, django_assert_max_num_queries):
    for n in range(MAX_BATCH):
        add_identity(user=EndUserFactory(), kind="email", value=f"c{n}@example.com")
    batch = {
        "contacts": [
            message(channel="email", contact_point=f"c{n}@example.com", source_ref=f"m{n}") for n in range(100)
        ]
    }
    with django_assert_max_num_queries(3 + 6 * MAX_BATCH):
        assert post(api, batch).status_code == 207
    assert Contact.objects.count() == MAX_BATCH
