"""Inbound email: one raw RFC 5322 message, as a mail forwarder posts it, turned into a `record_contact()` call.

The view (`intake.webhooks.email`) has checked the transport (method, size, the forwarding password) and
taken the raw message out of the request; everything about the message itself is decided here:

- automatic mail (auto-replies, bounces, read receipts, bulk mail) is IGNORED: no profile, no contact;
- the requester is the `Reply-To` address when there is a usable one, else the `From` address; without a
  usable address the message is SKIPPED;
- anything else is recorded on the requester's profile, exactly once per `Message-ID`.

Mail comes from anyone, so nothing in it is trusted: headers may be missing, repeated, undecodable or
enormous, and the standard library's parser raises assorted exceptions on some malformed headers. Every
value is read defensively, and a message that cannot be used is skipped with its reason, never a 500:
forwarders redeliver anything but a 2xx, and a broken message would come back forever. See docs/email.md.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import logging
from datetime import UTC, datetime
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone

from intake.inbound import EARLIEST_CONTACT, MAX_NAME_CHARS, MAX_SOURCE_REF_CHARS, MAX_SUBJECT_CHARS
from intake.models import DeliveryOutcome, WebhookChannel
from intake.services.inbound_log import LogLine, log_deliveries
from intake.services.provider_messages import record_message
from profiles.errors import InvalidContact
from profiles.models import ContactChannel

logger = logging.getLogger(__name__)

# What an agent reads in the contact list: the start of the message, not the whole thread quoted below it.
SUMMARY_CHARS = 500

# What the standard library's email package is known to raise on malformed input, besides its own
# MessageError: header parsing has raised IndexError, AttributeError and TypeError on odd tokens, decoding
# LookupError (an unknown charset) and UnicodeError, date parsing ValueError and OverflowError.
_PARSE_ERRORS = (MessageError, ValueError, IndexError, AttributeError, TypeError, LookupError, OverflowError)

# Precedence values that mark mail no person wrote to the desk (a de facto header, listed in RFC 2076;
# RFC 3834 asks responders not to answer such mail). "bulk" and "junk" are newsletters and mass mail;
# "auto_reply" is what older vacation programs put on their replies. "list" is deliberately NOT here:
# when the desk's address is a Google Group or another mailing list, every customer's message reaches the
# forwarder with "Precedence: list", and ignoring them would ignore every customer.
_AUTOMATIC_PRECEDENCE = frozenset({"bulk", "junk", "auto_reply"})
# Local parts of the addresses that send bounces (RFC 5321 §4.5.5: delivery reports come from the null
# sender, and MTAs sign them MAILER-DAEMON or postmaster, the role address RFC 5321 §4.5.1 requires).
_BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster"})
# Headers whose mere presence marks an auto-reply of the responders that predate RFC 3834 (the vacation
# programs of cPanel, Plesk and old Exchange servers send "X-Autoreply: yes" / "X-Autorespond: ...").
_AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond")


def answer(line: LogLine) -> dict[str, Any]:
    """The JSON answer to the forwarder for one message's fate (forwarders ignore it; it helps testing by hand)."""
    item = [{"id": line.source_ref, "reason": line.detail}]
    return {
        "recorded": int(line.outcome == DeliveryOutcome.RECORDED),
        "replayed": int(line.outcome == DeliveryOutcome.REPLAYED),
        "skipped": item if line.outcome == DeliveryOutcome.SKIPPED else [],
        "ignored": item if line.outcome == DeliveryOutcome.IGNORED else [],
    }


def receive_email(*, channel: WebhookChannel, raw: bytes) -> LogLine:
    """Record the raw RFC 5322 message `raw` on its requester's profile, or say why not; never raise for its content.

    Automatic mail is ignored and an unusable message skipped, each with its reason; the outcome goes to the
    channel's inbound log either way. The same message delivered again (same Message-ID, or the same bytes
    when it has none) is a replay: nothing is written twice.
    """
    line = _receive(raw)
    log_deliveries(channel, [line])
    if line.outcome == DeliveryOutcome.SKIPPED:
        logger.warning("Email channel %s: message %r skipped: %s", channel.slug, line.source_ref, line.detail)
    return line


def _receive(raw: bytes) -> LogLine:
    message = parse_message(raw)
    source_ref = message_reference(message, raw)
    if message is None or not message.keys():
        return LogLine(
            DeliveryOutcome.SKIPPED,
            source_ref=source_ref,
            detail="The body has no header fields; it is not an RFC 5322 message.",
        )
    sender = _sender_text(message)
    automatic = automatic_reason(message)
    if automatic:
        return LogLine(DeliveryOutcome.IGNORED, source_ref=source_ref, sender=sender, detail=automatic)
    return record_message(lambda: contact_arguments(message, source_ref), source_ref=source_ref, sender=sender)


# --- reading the message ---------------------------------------------------------------------------------


def parse_message(raw: bytes) -> EmailMessage | None:
    """The message in `raw` (modern header objects, RFC 2047 words decoded), or None when even that fails."""
    try:
        return email.message_from_bytes(raw, policy=email.policy.default)
    except _PARSE_ERRORS:
        return None


def header_text(message: EmailMessage, name: str) -> str:
    """The decoded value of the header `name` ("" when missing or unreadable), as clean one-line text."""
    try:
        value = message.get(name)
        return clean_text(str(value)) if value is not None else ""
    except _PARSE_ERRORS:
        return ""


def header_addresses(message: EmailMessage, name: str) -> tuple[Address, ...]:
    """The addresses of an address header (groups flattened), or () when missing or unreadable."""
    try:
        value = message.get(name)
        addresses = getattr(value, "addresses", ())
        return tuple(address for address in addresses if isinstance(address, Address))
    except _PARSE_ERRORS:
        return ()


def clean_text(value: str) -> str:
    """`value` with raw 8-bit bytes read as UTF-8 (RFC 6532 headers), no NULs or broken characters, one line."""
    try:
        # The parser keeps undecodable bytes as surrogate escapes; most 8-bit headers are UTF-8 in practice.
        text = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        text = value.encode("utf-8", "replace").decode("utf-8")
    return " ".join(text.replace("\x00", " ").split())


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- what is automatic -------------------------------------------------------------------------------------


def automatic_reason(message: EmailMessage) -> str:
    """Why the message was sent by a program rather than a person ("" when a person wrote it).

    Checked in this order, each a sign a sender of automatic mail is asked to give, or gives by nature:
    RFC 3834 `Auto-Submitted` other than "no" (auto-replies, "auto-generated" notifications); the
    `X-Autoreply`/`X-Autorespond` headers of older responders; `Precedence: bulk|junk|auto_reply`; a
    `multipart/report` (RFC 6522: delivery status notifications of RFC 3464, read receipts of RFC 8098,
    abuse reports of RFC 5965 — none is a customer writing); the null reverse path `Return-Path: <>` that
    RFC 5321 §4.5.5 and RFC 3834 reserve for such mail; a From of MAILER-DAEMON or postmaster.
    """
    auto_submitted = header_text(message, "Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted} — sent by a program (RFC 3834), not by the customer."
    for name in _AUTO_REPLY_HEADERS:
        if name in message:
            return f"{name} header — an automatic reply."
    precedence = header_text(message, "Precedence").lower()
    if precedence in _AUTOMATIC_PRECEDENCE:
        return f"Precedence: {precedence} — bulk or automatic mail."
    if message.get_content_type() == "multipart/report":
        report = clean_text(str(message.get_param("report-type", "") or "")) or "unknown"
        return f"A multipart/report ({report}): a delivery status notification or receipt, not a message."
    if "Return-Path" in message and header_text(message, "Return-Path").strip("<> ") == "":
        return "Return-Path: <> (the null sender of bounces and auto-replies)."
    for address in header_addresses(message, "From"):
        if address.username.lower() in _BOUNCE_SENDERS:
            return f"From {clean_text(address.addr_spec)}: a mail system's bounce."
    return ""


# --- the contact -------------------------------------------------------------------------------------------


def contact_arguments(message: EmailMessage, source_ref: str) -> dict[str, Any]:
    """The keyword arguments of `record_contact()` for a message a person wrote; InvalidContact when unusable."""
    requester = requester_address(message)
    if requester is None:
        raise InvalidContact(
            [("from", "The message has no usable sender address (neither Reply-To nor From has one).")]
        )
    name = clean_text(requester.display_name or "")
    return {
        "channel": ContactChannel.EMAIL,
        "contact_point": requester.addr_spec,
        "source_ref": source_ref,
        "occurred_at": sent_at(message),
        "name": _cut(name, MAX_NAME_CHARS) or None,
        "subject": _cut(header_text(message, "Subject"), MAX_SUBJECT_CHARS),
        "summary": summarize(message),
    }


def requester_address(message: EmailMessage) -> Address | None:
    """Who the desk answers: the first usable `Reply-To` address, else the first usable `From` address.

    Reply-To wins because it is where the sender asks replies to go (RFC 5322 §3.6.2): a contact form
    sends From its own no-reply address with Reply-To the customer, and a person who writes from one
    address and reads another says so there. A Reply-To that is also a recipient (To or Cc) is passed over:
    it sends replies back to the desk itself (a form that sets Reply-To to the support address).
    """
    recipients = {address.addr_spec.lower() for name in ("To", "Cc") for address in header_addresses(message, name)}
    for name in ("Reply-To", "From"):
        for address in header_addresses(message, name):
            if _usable(address) and (name == "From" or address.addr_spec.lower() not in recipients):
                return address
    return None


def _usable(address: Address) -> bool:
    """An address with both parts and nothing in it that is not text (undecodable bytes, NULs, spaces)."""
    return bool(address.username and address.domain) and clean_text(address.addr_spec) == address.addr_spec


def message_reference(message: EmailMessage | None, raw: bytes) -> str:
    """The contact's source_ref: the Message-ID without its angle brackets, else a hash of the message.

    A message without a Message-ID (or with one longer than a source_ref may be) gets "sha256:" and the
    hash of its bytes (line endings made alike: a forwarder may turn CRLF into LF), so the forwarder's
    redelivery of it is still recognized.
    """
    message_id = header_text(message, "Message-ID").strip().strip("<>").strip() if message is not None else ""
    if message_id and len(message_id) <= MAX_SOURCE_REF_CHARS:
        return message_id
    if message_id:
        return "sha256:" + hashlib.sha256(message_id.encode()).hexdigest()
    return "sha256:" + hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


def sent_at(message: EmailMessage) -> datetime:
    """The `Date` header when it is a real date, not in the future and not before `EARLIEST_CONTACT` (a sender's
    clock set to 1969 is the sender's problem, not a reason to lose the message), else now (when it arrived).

    A date without a time zone ("-0000": RFC 5322 §3.3, the zone is unknown) is taken as UTC.
    """
    now = timezone.now()
    text = header_text(message, "Date")
    try:
        sent = parsedate_to_datetime(text) if text else None
    except _PARSE_ERRORS:
        sent = None
    if sent is None:
        return now
    if timezone.is_naive(sent):
        sent = sent.replace(tzinfo=UTC)
    return sent if EARLIEST_CONTACT <= sent <= now else now


def summarize(message: EmailMessage) -> str:
    """The start of what the person wrote: the text/plain body (else the text of the HTML body), quoted lines
    ("> ...") left out, white space collapsed, cut to SUMMARY_CHARS."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        content = part.get_content() if part is not None else None
    except _PARSE_ERRORS:
        return ""
    if part is None or not isinstance(content, str):
        return ""  # no text at all (an attachment alone, a Content-Type that is not text)
    if part.get_content_subtype() == "html":
        content = html_text(content)
    lines = [line for line in content.splitlines() if not line.lstrip().startswith(">")]
    return _cut(clean_text("\n".join(lines)), SUMMARY_CHARS)


def html_text(html: str) -> str:
    """The text of an HTML body, without its scripts and styles."""
    reader = _HTMLText()
    try:
        reader.feed(html)
        reader.close()
    except _PARSE_ERRORS:
        pass  # what was read before the parser gave up is still the start of the message
    return "\n".join(reader.parts)


class _HTMLText(HTMLParser):
    _HIDDEN = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _sender_text(message: EmailMessage) -> str:
    """The sender as the log shows it: the From address, else the From header as written."""
    for address in header_addresses(message, "From"):
        if address.addr_spec:
            return clean_text(address.addr_spec)
    return header_text(message, "From")
