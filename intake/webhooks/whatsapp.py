"""`/webhooks/whatsapp/<slug>/`: Meta's WhatsApp Cloud API webhook for one `WebhookChannel` (docs/whatsapp.md).

This view checks only the transport; `intake.services.whatsapp` reads the payload.

- GET is Meta's verification handshake when the callback URL is saved: `hub.mode=subscribe` and the
  channel's `hub.verify_token` are answered with `hub.challenge` as text/plain; anything else 403.
- POST is a notification: 413 when bigger than `transport.MAX_BODY_BYTES`, 401 unless `X-Hub-Signature-256` is
  "sha256=" + HMAC-SHA256(raw body, app secret), 400 when the body is not JSON; then 200 with a count of
  what was recorded. Meta retries anything but 200 for days, so a message that cannot be recorded is
  skipped (and logged) rather than failing the notification.
"""

from __future__ import annotations

import hashlib
import hmac

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from intake.json_bodies import error_response, parse_json
from intake.models import Provider, WebhookChannel
from intake.services.whatsapp import receive_notification
from intake.webhooks.transport import body_refusal, find_channel, method_not_allowed, refuse

SIGNATURE_HEADER = "X-Hub-Signature-256"


def signature(body: bytes, app_secret: str) -> str:
    """The X-Hub-Signature-256 value Meta sends with `body`."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


@csrf_exempt  # Meta has no session or CSRF cookie: the signature authenticates each POST
@login_not_required
def whatsapp(request: HttpRequest, slug: str) -> HttpResponse:
    """Meta's verification handshake (GET) or a signed notification (POST) for the channel `slug`."""
    if request.method not in ("GET", "POST"):
        return method_not_allowed(request, "GET (verification) or POST (notifications)", allow="GET, POST")
    channel = find_channel(Provider.WHATSAPP, slug)
    if channel is None:
        return error_response(
            404, "not_found", f"No WhatsApp channel {slug!r}; check the callback URL in Meta's app settings."
        )
    if request.method == "GET":
        return _verify(request, channel)
    return _notification(request, channel)


def _verify(request: HttpRequest, channel: WebhookChannel) -> HttpResponse:
    mode = request.GET.get("hub.mode", "")
    token = request.GET.get("hub.verify_token", "")
    if mode != "subscribe":
        return refuse(
            channel, 403, "forbidden", f"hub.mode must be subscribe (got {mode!r}); this URL answers Meta's handshake."
        )
    if not hmac.compare_digest(token.encode(), channel.verify_token.encode()):
        return refuse(
            channel,
            403,
            "forbidden",
            "hub.verify_token does not match this channel's verify token; copy it from the admin.",
        )
    return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain; charset=utf-8")


def _notification(request: HttpRequest, channel: WebhookChannel) -> JsonResponse:
    refused = body_refusal(request, channel)
    if refused:
        return refused
    body = request.body
    given = request.headers.get(SIGNATURE_HEADER)
    if not given:
        return refuse(
            channel, 401, "unauthorized", f"The {SIGNATURE_HEADER} header is missing; Meta signs every notification."
        )
    expected = signature(body, channel.secret)
    if not hmac.compare_digest(expected.encode(), given.strip().encode("utf-8", "replace")):
        return refuse(
            channel,
            401,
            "unauthorized",
            f"The {SIGNATURE_HEADER} signature does not match the body; check the channel's app secret.",
        )
    payload, problem = parse_json(body, expected="Meta sends")
    if problem:
        return refuse(channel, 400, "malformed_json", problem)
    outcome = receive_notification(channel=channel, payload=payload)
    return JsonResponse(
        {
            "recorded": outcome.recorded,
            "replayed": outcome.replayed,
            "statuses": outcome.statuses,
            "skipped": [{"id": item.source_ref, "reason": item.reason} for item in outcome.skipped],
            "ignored": outcome.ignored,
        }
    )
