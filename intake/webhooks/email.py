"""`/webhooks/email/<slug>/`: inbound email from a mail forwarder for one `WebhookChannel` (docs/email.md).

This view checks only the transport and takes the raw message out of the request;
`intake.services.inbound_email` reads the message.

POST only (405 otherwise), 404 for an unknown slug, 413 when bigger than `transport.MAX_BODY_BYTES`, 401 unless
HTTP Basic credentials carry the channel's forwarding password (any user name; forwarders send them when the
URL is `https://inbound:<password>@host/...`), then the message:

- the raw RFC 5322 message as the body (`message/rfc822`, `application/octet-stream` or `text/plain`);
- or a form (`multipart/form-data` or `application/x-www-form-urlencoded`) with the raw message in the field
  `email` (SendGrid Inbound Parse with "POST the raw, full MIME message") or `body-mime` (a Mailgun route
  forwarding to a URL ending in "mime");

anything else is 415 (another content type) or 400 (a form without either field, an empty body). A message
that arrived is always answered 200, whatever became of it: forwarders redeliver anything but a 2xx.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt

from intake.json_bodies import error_response
from intake.models import Provider, WebhookChannel
from intake.services.inbound_email import answer, receive_email
from intake.webhooks.transport import body_refusal, find_channel, method_not_allowed, refuse

REALM = "zdusers inbound email"
# Content types whose body is the message itself.
RAW_TYPES = ("message/rfc822", "application/octet-stream", "text/plain")
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# The form fields that carry the raw message: SendGrid Inbound Parse's raw mode, Mailgun's MIME forward.
MESSAGE_FIELDS = ("email", "body-mime")


@csrf_exempt  # a forwarder has no session or CSRF cookie: the forwarding password authenticates each POST
@login_not_required
def inbound_email(request: HttpRequest, slug: str) -> HttpResponse:
    """One inbound message, posted raw or in a forwarder's form, for the email channel `slug`."""
    if request.method != "POST":
        return method_not_allowed(request, "POST (one email message per request)", allow="POST")
    channel = find_channel(Provider.EMAIL, slug)
    if channel is None:
        return error_response(404, "not_found", f"No inbound email channel {slug!r}; check the forwarder's URL.")
    refused = body_refusal(request, channel)
    if refused:
        return refused
    refused = _authentication_refusal(request, channel)
    if refused:
        return refused
    raw, refused = _raw_message(request, channel)
    if refused:
        return refused
    return JsonResponse(answer(receive_email(channel=channel, raw=raw)))


def forwarding_password(request: HttpRequest) -> str | None:
    """The password of the request's HTTP Basic credentials (RFC 7617), or None when it has none."""
    scheme, _, encoded = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    # RFC 7617 leaves the charset to the server; UTF-8 is what browsers and HTTP libraries send.
    _, colon, password = decoded.decode("utf-8", "replace").partition(":")
    return password if colon else None


def _authentication_refusal(request: HttpRequest, channel: WebhookChannel) -> JsonResponse | None:
    password = forwarding_password(request)
    if password is None:
        problem = (
            "The request has no HTTP Basic credentials; put the forwarding password in the URL: "
            f"https://inbound:<password>@<host>{channel.callback_path}"
        )
    elif not hmac.compare_digest(password.encode(), channel.secret.encode()):
        problem = "The password of the HTTP Basic credentials is not this channel's forwarding password."
    else:
        return None
    response = refuse(channel, 401, "unauthorized", problem)
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


def _raw_message(request: HttpRequest, channel: WebhookChannel) -> tuple[bytes, JsonResponse | None]:
    """The raw message the request carries, or the refusal that says what to send instead."""
    content_type = request.content_type or ""
    if content_type in RAW_TYPES:
        if not request.body.strip():
            return b"", refuse(channel, 400, "empty_message", "The body is empty; post the raw message.")
        return request.body, None
    if content_type not in FORM_TYPES:
        shown = content_type or "no Content-Type"
        return b"", refuse(
            channel,
            415,
            "unsupported_media_type",
            f"Post the raw message as message/rfc822, or a form with an email or body-mime field, not {shown}.",
        )
    try:
        fields = _form_fields(request)
    except (MultiPartParserError, SuspiciousOperation, ValueError) as error:  # ValueError: too many fields
        return b"", refuse(channel, 400, "malformed_form", f"The form cannot be read: {error}")
    for field in MESSAGE_FIELDS:
        if fields.get(field, b"").strip():
            return fields[field], None
    return b"", refuse(
        channel,
        400,
        "no_message",
        "The form has no email or body-mime field with the raw message: in SendGrid, tick “POST the raw, "
        "full MIME message”; in Mailgun, end the route's URL with mime.",
    )


def _form_fields(request: HttpRequest) -> dict[str, bytes]:
    """The form's message fields (`MESSAGE_FIELDS`) as the bytes the forwarder sent, the first value of each."""
    if request.content_type == "application/x-www-form-urlencoded":
        # Parsed from the bytes: Django would decode the values as UTF-8, replacing whatever is not.
        pairs = parse_qsl(request.body, keep_blank_values=True, max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
        found: dict[str, bytes] = {}
        for name, value in pairs:
            field = name.decode("latin-1")
            if field in MESSAGE_FIELDS:
                found.setdefault(field, value)
        return found
    # Read as Latin-1, each byte one character: the message's own bytes come back exactly, whatever
    # charsets its parts use (Django would otherwise decode them as UTF-8, replacing what is not).
    request.encoding = "iso-8859-1"
    found = {field: request.FILES[field].read() for field in MESSAGE_FIELDS if field in request.FILES}
    for field in MESSAGE_FIELDS:
        if field not in found and field in request.POST:
            found[field] = request.POST[field].encode("iso-8859-1")
    return found
