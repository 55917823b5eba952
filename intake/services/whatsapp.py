"""WhatsApp Cloud API webhooks: Meta's notifications turned into `record_contact()` calls.

Meta posts `{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages",
"value": {...}}]}]}`; each `value` may carry `messages` (what customers wrote: each becomes a contact)
and `statuses` (what happened to the desk's own messages: acknowledged, not stored). See docs/whatsapp.md.

Meta retries a notification that is not answered 200, for days, so one bad message must not block the
others: an item that cannot be recorded is skipped and logged with its reason, the rest are recorded,
and the shape of the payload is never trusted (anything may be missing or of another type). The
signature was checked by the view before this runs: the payload is Meta's, but not necessarily tidy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from intake.inbound import MAX_NAME_CHARS
from intake.models import DeliveryOutcome, WebhookChannel
from intake.services.inbound_log import LogLine, log_deliveries
from intake.services.provider_messages import record_message
from profiles.errors import InvalidContact
from profiles.models import ContactChannel

logger = logging.getLogger(__name__)

OBJECT = "whatsapp_business_account"
# Media messages: their caption (documents: also the file name) is what an agent can read of them.
_MEDIA = ("image", "video", "audio", "voice", "document", "sticker")


@dataclass(frozen=True)
class SkippedMessage:
    """A message of the payload that was not recorded, and why (a sentence for the log and the answer)."""

    source_ref: str
    reason: str


@dataclass
class WebhookOutcome:
    """What one notification did: contacts recorded, replays found, messages skipped, statuses seen."""

    recorded: int = 0
    replayed: int = 0
    statuses: int = 0
    skipped: list[SkippedMessage] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # parts of the payload that are not messages (why)
    log: list[LogLine] = field(default_factory=list)  # the channel's inbound log lines, one per message

    def log_lines(self) -> list[LogLine]:
        """The inbound log's lines: each message's, then one for the statuses and one per ignored part."""
        lines = list(self.log)
        if self.statuses:
            noun = "status" if self.statuses == 1 else "statuses"
            lines.append(LogLine(DeliveryOutcome.IGNORED, detail=f"{self.statuses} {noun} of the desk's own messages"))
        lines.extend(LogLine(DeliveryOutcome.IGNORED, detail=reason) for reason in self.ignored)
        return lines


def receive_notification(*, channel: WebhookChannel, payload: Any) -> WebhookOutcome:
    """Record every customer message of a (signature-checked) webhook notification; never raise for its shape.

    Each message is recorded on its own (`record_contact` is all or nothing per message), with its `id` as
    source_ref: Meta's redelivery of a notification records nothing twice. What became of each message, of the
    statuses and of any part that was not a message goes to the channel's inbound log.
    """
    outcome = _receive(channel, payload)
    log_deliveries(channel, outcome.log_lines())
    return outcome


def _receive(channel: WebhookChannel, payload: Any) -> WebhookOutcome:
    outcome = WebhookOutcome()
    if not isinstance(payload, dict) or payload.get("object") != OBJECT:
        got = payload.get("object") if isinstance(payload, dict) else type(payload).__name__
        outcome.ignored.append(f"Not a WhatsApp Business Account notification (object {got!r}).")
        logger.warning("WhatsApp channel %s: %s", channel.slug, outcome.ignored[-1])
        return outcome
    for value in _values(payload, outcome):
        statuses = value.get("statuses")
        if isinstance(statuses, list):
            outcome.statuses += len(statuses)
        messages = value.get("messages")
        if messages is None:
            continue
        if not isinstance(messages, list):
            outcome.ignored.append("value.messages is not a list.")
            continue
        names = _sender_names(value.get("contacts"))
        for message in messages:
            _receive_message(channel, message, names, outcome)
    return outcome


def _values(payload: dict, outcome: WebhookOutcome) -> list[dict]:
    """The `value` of every change to the `messages` field; other fields (account updates, ...) are ignored."""
    values = []
    entries = payload.get("entry")
    for entry in entries if isinstance(entries, list) else ():
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else ():
            if not isinstance(change, dict):
                continue
            if change.get("field") != "messages":
                outcome.ignored.append(f"A change to the field {change.get('field')!r}, not to messages.")
                continue
            if isinstance(change.get("value"), dict):
                values.append(change["value"])
    return values


def _sender_names(contacts: Any) -> dict[str, str]:
    """wa_id -> the profile name the sender gave WhatsApp, from the value's `contacts`."""
    names = {}
    for contact in contacts if isinstance(contacts, list) else ():
        if not isinstance(contact, dict):
            continue
        wa_id, profile = _id_text(contact.get("wa_id")), contact.get("profile")
        name = profile.get("name") if isinstance(profile, dict) else None
        if wa_id and isinstance(name, str) and name.strip():
            # A profile name is the customer's to choose: a long one is cut, not a reason to lose the message.
            names[wa_id] = name.strip()[:MAX_NAME_CHARS]
    return names


def _receive_message(channel: WebhookChannel, message: Any, names: dict[str, str], outcome: WebhookOutcome) -> None:
    source_ref = _id_text(message.get("id")) if isinstance(message, dict) else ""
    sender = _id_text(message.get("from")) if isinstance(message, dict) else ""
    line = record_message(lambda: message_arguments(message, names), source_ref=source_ref, sender=sender)
    outcome.log.append(line)
    if line.outcome == DeliveryOutcome.RECORDED:
        outcome.recorded += 1
    elif line.outcome == DeliveryOutcome.REPLAYED:
        outcome.replayed += 1
    else:
        outcome.skipped.append(SkippedMessage(source_ref=source_ref, reason=line.detail))
        logger.warning(
            "WhatsApp channel %s: message %r skipped: %s", channel.slug, source_ref or "(no id)", line.detail
        )


def message_arguments(message: Any, names: dict[str, str]) -> dict[str, Any]:
    """The keyword arguments of `record_contact()` for one item of `messages`; InvalidContact when unusable.

    `from` is the sender's wa_id (international digits, no "+"), normalized by the WhatsApp identity rules;
    the name is the sender's WhatsApp profile name when `contacts` gives it.
    """
    if not isinstance(message, dict):
        raise InvalidContact([("message", f"A message must be an object, not {type(message).__name__}.")])
    errors: list[tuple[str, str]] = []
    sender = _id_text(message.get("from"))
    if not sender:
        errors.append(("from", "The message has no sender (from)."))
    source_ref = _id_text(message.get("id"))
    if not source_ref:
        # Without Meta's message id a redelivered notification would be recorded twice.
        errors.append(("id", "The message has no id, so a redelivery could not be recognized."))
    occurred_at = _time(message.get("timestamp"))
    if occurred_at is None:
        errors.append(("timestamp", f"timestamp must be Unix seconds, not {message.get('timestamp')!r}."))
    if errors:
        raise InvalidContact(errors)
    return {
        "channel": ContactChannel.WHATSAPP,
        "contact_point": sender,
        "source_ref": source_ref,
        "occurred_at": occurred_at,
        "name": names.get(sender),
        "summary": summarize(message),
    }


def summarize(message: dict) -> str:
    """What an agent reads of a message: a text's body; for anything else, its type in brackets and what it says.

    E.g. "[image] caption", "[location] -23.5505,-46.6333 Av. Paulista", "[reaction] 👍". A type this code
    does not know yet is still recorded, as "[its type]", rather than lost.
    """
    kind = message.get("type")
    kind = kind if isinstance(kind, str) and kind else "unknown"
    body = message.get(kind)
    body = body if isinstance(body, dict) else {}
    if kind == "text":
        return _text(body.get("body"))
    if kind in _MEDIA:
        parts = [_text(body.get("caption")), _text(body.get("filename")) if kind == "document" else ""]
    elif kind == "location":
        position = ",".join(_text(body.get(axis)) for axis in ("latitude", "longitude"))
        parts = [position if position != "," else "", _text(body.get("name")), _text(body.get("address"))]
    elif kind == "reaction":
        parts = [_text(body.get("emoji")) or "(removed)"]
    elif kind == "button":
        parts = [_text(body.get("text"))]
    elif kind == "interactive":
        reply = body.get(body.get("type")) if isinstance(body.get("type"), str) else None
        parts = [_text(reply.get("title")) if isinstance(reply, dict) else ""]
    elif kind == "contacts":
        shared = message.get("contacts")
        parts = [
            _text(person.get("name", {}).get("formatted_name"))
            for person in (shared if isinstance(shared, list) else ())
            if isinstance(person, dict) and isinstance(person.get("name"), dict)
        ]
    else:
        parts = []
    said = " ".join(part for part in parts if part)
    return f"[{kind}] {said}" if said else f"[{kind}]"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _id_text(value: Any) -> str:
    """An id or number Meta sends as a string (or, carelessly, as a JSON number)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _time(value: Any) -> datetime | None:
    """Meta's `timestamp`: Unix seconds as a string."""
    text = _id_text(value)
    if not text.isascii() or not text.isdigit():
        return None
    try:
        return datetime.fromtimestamp(int(text), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
