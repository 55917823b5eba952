"""Twilio SMS and Voice webhooks: Twilio's form parameters turned into `record_contact()` calls.

Twilio posts one item per request, as `application/x-www-form-urlencoded` parameters (docs/twilio.md):

- a message ("A message comes in", SMS, MMS, or WhatsApp through Twilio): `MessageSid`, `From`, `To`, `Body`,
  `NumMedia` and `MediaContentType0..`; a WhatsApp sender's `From` is `whatsapp:+5511…` with its `ProfileName`;
- a call ("A call comes in", or the call's status callback): `CallSid`, `From`, `To`, `CallStatus`,
  `Direction`, and `CallerName` when the number has caller-name lookup.

The item becomes one contact whose `source_ref` is its Sid, so Twilio's retry of a request, or a call's status
callback after its "A call comes in" request, is a replay recorded once. Requests that are not a customer
writing or calling (statuses of the desk's own messages, outbound calls, recordings) are ignored. An item that
cannot be recorded is skipped with its reason rather than failing the request: Twilio answers an error with
its own fallback (a caller would hear "an application error has occurred"). The signature was checked by the
view before this runs: the parameters are Twilio's, but any of them may be missing or odd.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from intake.inbound import MAX_NAME_CHARS
from intake.models import DeliveryOutcome, WebhookChannel
from intake.services.inbound_log import LogLine, log_deliveries
from intake.services.provider_messages import record_message
from profiles.errors import InvalidContact
from profiles.models import ContactChannel
from zdusers.text import clean_name

logger = logging.getLogger(__name__)

WHATSAPP_PREFIX = "whatsapp:"
# Twilio attaches at most 10 media to a message; a larger NumMedia is not worth reading further.
MAX_MEDIA = 10
# Statuses an incoming message is sent with; any other MessageStatus is a status callback of the desk's own.
_INCOMING_MESSAGE_STATUSES = {"", "received", "receiving"}
# What carriers' caller-name (CNAM) lookups answer when they have no person's name to give.
_NOT_A_NAME = re.compile(
    r"^(wireless caller|cell phone|unknown|unavailable|anonymous|private|restricted|out of area|"
    r"toll free|blocked|no caller id|not found)\b",
    re.IGNORECASE,
)
_MEDIA_LABELS = {"image": "image", "video": "video", "audio": "audio"}


def receive_request(*, channel: WebhookChannel, params: Mapping[str, str]) -> LogLine:
    """Record the message or call of one (signature-checked) Twilio request; never raise for its parameters.

    `params` maps each form parameter's name to its (last) value. What became of the item goes to the
    channel's inbound log, and is returned: RECORDED, REPLAYED (its Sid was recorded before), IGNORED (not a
    customer's message or call, with why) or SKIPPED (unusable, with the reason).
    """
    line = _receive(channel, params)
    log_deliveries(channel, [line])
    if line.outcome == DeliveryOutcome.SKIPPED:
        logger.warning("Twilio channel %s: %s skipped: %s", channel.slug, line.source_ref or "(no Sid)", line.detail)
    return line


def _receive(channel: WebhookChannel, params: Mapping[str, str]) -> LogLine:
    source_ref = _param(params, "CallSid") or _param(params, "MessageSid") or _param(params, "SmsSid")
    sender = _param(params, "From")
    ignored = ignored_because(params)
    if ignored:
        return LogLine(DeliveryOutcome.IGNORED, source_ref=source_ref, sender=sender, detail=ignored)
    read = call_arguments if _param(params, "CallSid") else message_arguments
    return record_message(lambda: read(params), source_ref=source_ref, sender=sender)


def ignored_because(params: Mapping[str, str]) -> str:
    """Why the request is not a customer's message or call (a sentence for the log), or "" when it is one."""
    if _param(params, "RecordingSid") or _param(params, "TranscriptionSid"):
        return "A recording or transcription callback, not a call."
    if _param(params, "CallSid"):
        direction = _param(params, "Direction")
        if direction.startswith("outbound"):
            return f"An outbound call ({direction}): the desk called, not the customer."
        return ""
    if _param(params, "MessageSid") or _param(params, "SmsSid"):
        status = (_param(params, "MessageStatus") or _param(params, "SmsStatus")).lower()
        if status not in _INCOMING_MESSAGE_STATUSES:
            return f"A status callback ({status}) of the desk's own message."
        return ""
    return "Neither a message nor a call: the request has no MessageSid or CallSid."


def message_arguments(params: Mapping[str, str]) -> dict[str, Any]:
    """The keyword arguments of `record_contact()` for an incoming message; InvalidContact when unusable.

    `From` is an E.164 number (SMS, MMS) or `whatsapp:` and one (WhatsApp through Twilio, channel whatsapp,
    named after the sender's `ProfileName`); other addresses (`messenger:…`, `rcs:…`) are not phone numbers.
    """
    source_ref = _param(params, "MessageSid") or _param(params, "SmsSid")
    channel, point, errors = _sender(params)
    if not source_ref:
        errors.append(("MessageSid", "The message has no MessageSid, so a redelivery could not be recognized."))
    if errors:
        raise InvalidContact(errors)
    name = _param(params, "ProfileName") if channel == ContactChannel.WHATSAPP else ""
    return {
        "channel": channel,
        "contact_point": point,
        "source_ref": source_ref,
        "name": name[:MAX_NAME_CHARS] or None,  # a profile name is the customer's to choose: cut, not refused
        "summary": summarize_message(params),
    }


def call_arguments(params: Mapping[str, str]) -> dict[str, Any]:
    """The keyword arguments of `record_contact()` for an incoming call; InvalidContact when unusable.

    The caller's `From` on channel voice, named after `CallerName` when that looks like a person's name
    (see `caller_name`); the status callback's `Timestamp`, when given, is when the call happened.
    """
    _, point, errors = _sender(params, voice=True)
    if errors:
        raise InvalidContact(errors)
    return {
        "channel": ContactChannel.VOICE,
        "contact_point": point,
        "source_ref": _param(params, "CallSid"),
        "occurred_at": _time(_param(params, "Timestamp")),
        "name": caller_name(_param(params, "CallerName")),
        "summary": summarize_call(params),
    }


def _sender(params: Mapping[str, str], *, voice: bool = False) -> tuple[str, str, list[tuple[str, str]]]:
    """(channel, contact point, errors) of the request's `From`."""
    sender = _param(params, "From")
    if not sender:
        return "", "", [("From", "The request has no sender (From).")]
    scheme, colon, rest = sender.partition(":")
    if not voice and colon and scheme.lower() == WHATSAPP_PREFIX[:-1]:
        return ContactChannel.WHATSAPP, rest.strip(), []
    if colon and scheme.isalpha():
        # client:alice (a browser or app caller), sip:…, messenger:…: no phone number to find a customer by.
        return "", "", [("From", f"{sender!r} is a {scheme} address, not a phone number.")]
    return (ContactChannel.VOICE if voice else ContactChannel.SMS), sender, []


def caller_name(cnam: str) -> str | None:
    """A new caller's name from the carrier's caller-name lookup (CNAM), or None.

    CNAM answers in capitals ("MARIA SILVA"), cut to 15 characters, and often with no name at all
    ("WIRELESS CALLER", "UNAVAILABLE", "CELL PHONE   TX"): those, and anything with digits, are not
    names and give None (the profile is then named after the number). Capitals become "Maria Silva".
    """
    text = clean_name(cnam)
    if not text or _NOT_A_NAME.match(text) or any(char.isdigit() for char in text):
        return None
    if text.isupper():
        text = text.title()
    return text[:MAX_NAME_CHARS]


def summarize_message(params: Mapping[str, str]) -> str:
    """What an agent reads of a message: its body, after its attachments labelled like WhatsApp's.

    E.g. "Olá", "[image] Segue a nota", "[2 images, audio]", "[location] -23.5505,-46.6333 Paulista",
    "[button] Sim". Media are not downloaded (Twilio's MediaUrl needs the account's credentials).
    """
    body = _param(params, "Body")
    labels = _media_labels(params)
    latitude, longitude = _param(params, "Latitude"), _param(params, "Longitude")
    if latitude and longitude:
        labels.append("location")
        body = " ".join(part for part in (f"{latitude},{longitude}", _param(params, "Label"), body) if part)
    if _param(params, "ButtonText"):
        labels.append("button")
        body = body or _param(params, "ButtonText")
    if not labels:
        return body
    counts = Counter(labels)
    label = ", ".join(kind if count == 1 else f"{count} {kind}s" for kind, count in counts.items())
    return f"[{label}] {body}" if body else f"[{label}]"


def summarize_call(params: Mapping[str, str]) -> str:
    """E.g. "Incoming call to +551130030000 (completed, 42 s)": the number called and how the call went."""
    called = _param(params, "To") or "the desk"
    details = [_param(params, "CallStatus")]
    duration = _param(params, "CallDuration")
    if duration.isascii() and duration.isdigit():
        details.append(f"{int(duration)} s")
    forwarded = _param(params, "ForwardedFrom")
    if forwarded:
        details.append(f"forwarded from {forwarded}")
    said = ", ".join(detail for detail in details if detail)
    return f"Incoming call to {called} ({said})" if said else f"Incoming call to {called}"


def _media_labels(params: Mapping[str, str]) -> list[str]:
    """One label per attachment: image, video or audio by its MIME type, anything else a document."""
    count = _count(_param(params, "NumMedia"))
    # NumMedia is not trusted alone: the content types present count too.
    present = sum(1 for index in range(MAX_MEDIA) if f"MediaContentType{index}" in params)
    labels = []
    for index in range(min(max(count, present), MAX_MEDIA)):
        major = _param(params, f"MediaContentType{index}").partition("/")[0].lower()
        labels.append(_MEDIA_LABELS.get(major, "document"))
    return labels


def _param(params: Mapping[str, str], name: str) -> str:
    value = params.get(name)
    return value.strip() if isinstance(value, str) else ""


def _count(text: str) -> int:
    """A count Twilio sends as text, at most MAX_MEDIA (a huge one is not parsed); 0 when not a count."""
    if not (text.isascii() and text.isdigit()):
        return 0
    return min(int(text), MAX_MEDIA) if len(text) <= 3 else MAX_MEDIA


def _time(text: str) -> datetime | None:
    """A status callback's `Timestamp` (RFC 2822, e.g. "Tue, 09 Dec 2025 14:03:11 +0000"), or None (now)."""
    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment if moment.tzinfo is not None else None
