"""What every provider's webhook does alike: find its channel, refuse a request (logging why), cap the body.

Each provider's view (`whatsapp`, ...) checks its own signature and hands the payload to its service in
`intake.services`; a refusal is always written to the channel's inbound log before it is answered, so a desk
can see why its provider's calls fail.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from intake.json_bodies import error_response
from intake.models import WebhookChannel
from intake.services.inbound_log import log_refusal

# A notification batches at most a few hundred small updates, an email with attachments is forwarded
# without them by the services that parse mail; 1 MiB leaves ample room and bounds what one request costs.
MAX_BODY_BYTES = 1024 * 1024


def find_channel(provider: str, slug: str) -> WebhookChannel | None:
    """The channel a provider's request is for, or None (the caller answers 404: there is no log to write to)."""
    return WebhookChannel.objects.filter(provider=provider, slug=slug).first()


def method_not_allowed(request: HttpRequest, use: str, *, allow: str) -> JsonResponse:
    """The 405 answer, naming what to use instead and listing it in `Allow`."""
    response = error_response(405, "method_not_allowed", f"Use {use}, not {request.method}.")
    response["Allow"] = allow
    return response


def refuse(channel: WebhookChannel, status: int, code: str, message: str) -> JsonResponse:
    """The error answer for a request the channel refuses, written to its inbound log first."""
    log_refusal(channel, f"{status}: {message}")
    return error_response(status, code, message)


def body_refusal(request: HttpRequest, channel: WebhookChannel) -> JsonResponse | None:
    """The 413 for a body over MAX_BODY_BYTES (by its Content-Length, or by what arrived), else None."""
    length = _content_length(request)
    if length <= MAX_BODY_BYTES:
        length = len(request.body)  # a missing or lying Content-Length
    if length > MAX_BODY_BYTES:
        return refuse(
            channel,
            413,
            "payload_too_large",
            f"The body is {length:,} bytes; the limit is {MAX_BODY_BYTES:,} bytes.",
        )
    return None


def _content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0
