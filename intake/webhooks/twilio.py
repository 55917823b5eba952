"""`/webhooks/twilio/<slug>/`: Twilio's SMS, MMS and Voice webhook for one `WebhookChannel` (docs/twilio.md).

This view checks only the transport; `intake.services.twilio` reads the parameters.

- Only POST: 405 otherwise (Twilio's console offers HTTP GET too; choose POST); 404 for an unknown slug.
- 413 when the body is bigger than `transport.MAX_BODY_BYTES`.
- 401 unless `X-Twilio-Signature` is Twilio's signature of the request: base64 of HMAC-SHA1, keyed with the
  account's auth token (the channel's secret), of the full URL Twilio requested followed by every POST
  parameter's name and value, sorted by name. Like Twilio's own `RequestValidator`, the URL is tried as
  built and with its port added or removed (Twilio signs `https://host/…` or `https://host:443/…`), a
  repeated parameter's distinct values are sorted, and a request that names another algorithm in
  `X-Twilio-Webhooks-Signature-Settings` (a Webhooks Rule's SharedKey, HMAC_SHA256) is checked with it.
- Then 200 with the empty TwiML `<Response></Response>`, whatever became of the item (see the service).

The URL is `request.build_absolute_uri()`, so it must be the one Twilio requested. Behind a reverse proxy
that terminates TLS, the desk sees `http://`: set TRUST_X_FORWARDED_PROTO=1 (Django's
SECURE_PROXY_SSL_HEADER) when the proxy sets `X-Forwarded-Proto`, and have the proxy pass the original
`Host` header (the host must be in ALLOWED_HOSTS). Otherwise every signature fails with 401, which the
channel's inbound log shows with the URL that was checked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import urlsplit, urlunsplit

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt

from intake.json_bodies import error_response
from intake.models import Provider, WebhookChannel
from intake.services.twilio import receive_request
from intake.webhooks.transport import body_refusal, find_channel, method_not_allowed, refuse

SIGNATURE_HEADER = "X-Twilio-Signature"
# Present when a Webhooks Rule signs the URL with a SharedKey: "key=<id>,algorithm=HMAC_SHA256".
SIGNATURE_SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"
ALGORITHMS = {"HMAC_SHA1": hashlib.sha1, "HMAC_SHA256": hashlib.sha256}
DEFAULT_PORTS = {"https": 443, "http": 80}
# Twilio reads the answer as TwiML: an empty Response sends no reply to a message, and ends a call.
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def signature(url: str, params: QueryDict, secret: str, algorithm: str = "HMAC_SHA1") -> str:
    """The X-Twilio-Signature Twilio sends when it posts `params` to `url`."""
    signed = url
    for name in sorted(set(params)):
        for value in sorted(set(params.getlist(name))):
            signed += name + value
    mac = hmac.new(secret.encode(), signed.encode(), ALGORITHMS[algorithm])
    return base64.b64encode(mac.digest()).decode()


def signed_urls(url: str) -> tuple[str, str]:
    """`url` without its port and with its port (the scheme's default when it has none).

    Twilio signs either form, depending on its side's software; its RequestValidator accepts both.
    """
    parts = urlsplit(url)
    host, _, port = parts.netloc.rpartition(":") if _has_port(parts.netloc) else (parts.netloc, "", "")
    default = DEFAULT_PORTS.get(parts.scheme, 80)
    without_port = urlunsplit(parts._replace(netloc=host))
    with_port = urlunsplit(parts._replace(netloc=f"{host}:{port or default}"))
    return without_port, with_port


def _has_port(netloc: str) -> bool:
    # "[::1]:8000" has a port, "[::1]" does not: only a colon after the IPv6 literal's bracket counts.
    return ":" in netloc.rpartition("]")[2]


def signature_algorithm(settings_header: str) -> str:
    """The algorithm named by X-Twilio-Webhooks-Signature-Settings, HMAC_SHA1 without one (as Twilio's SDKs)."""
    for part in settings_header.split(","):
        name, equals, value = part.partition("=")
        if equals and name.strip() == "algorithm" and value.strip():
            return value.strip().upper()
    return "HMAC_SHA1"


def signature_matches(given: str, url: str, params: QueryDict, secret: str, algorithm: str) -> bool:
    """Whether `given` is the signature of `params` posted to `url` with or without its port."""
    expected = [signature(candidate, params, secret, algorithm) for candidate in signed_urls(url)]
    given_bytes = given.strip().encode("utf-8", "replace")
    # Both compared, in constant time, so the answer's timing does not tell which form was close.
    results = [hmac.compare_digest(candidate.encode(), given_bytes) for candidate in expected]
    return any(results)


@csrf_exempt  # Twilio has no session or CSRF cookie: the signature authenticates each POST
@login_not_required
def twilio(request: HttpRequest, slug: str) -> HttpResponse:
    """A signed message or call from Twilio for the channel `slug`, answered with empty TwiML."""
    if request.method != "POST":
        return method_not_allowed(request, "POST (choose HTTP POST for this webhook in Twilio's console)", allow="POST")
    channel = find_channel(Provider.TWILIO, slug)
    if channel is None:
        return error_response(
            404, "not_found", f"No Twilio channel {slug!r}; check the webhook URL in Twilio's console."
        )
    refused = body_refusal(request, channel) or _signature_refusal(request, channel)
    if refused:
        return refused
    receive_request(channel=channel, params=request.POST.dict())
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


def _signature_refusal(request: HttpRequest, channel: WebhookChannel) -> HttpResponse | None:
    given = request.headers.get(SIGNATURE_HEADER, "")
    if not given.strip():
        return refuse(
            channel, 401, "unauthorized", f"The {SIGNATURE_HEADER} header is missing; Twilio signs every request."
        )
    algorithm = signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER, ""))
    if algorithm not in ALGORITHMS:
        return refuse(
            channel,
            401,
            "unauthorized",
            f"{SIGNATURE_SETTINGS_HEADER} names the algorithm {algorithm[:40]!r}; zdusers checks "
            f"{' and '.join(ALGORITHMS)} signatures.",
        )
    url = request.build_absolute_uri()
    if not signature_matches(given, url, request.POST, channel.secret, algorithm):
        return refuse(
            channel,
            401,
            "unauthorized",
            f"The {SIGNATURE_HEADER} signature does not match the request to {url}; check the channel's auth "
            "token, and that this is the URL set in Twilio's console (behind a proxy: docs/twilio.md).",
        )
    return None
