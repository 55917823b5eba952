"""What an inbound contact is: channels and their contact points, limits, validation, derived names.

`check_contact()` turns what a connector sent into an `InboundContact` (every
value valid, normalized, within its limit) or raises `InvalidContact` naming
every field at fault, without touching the database. The intake service
(intake.services.contacts) and the inbound API validate with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from profiles.errors import InvalidContact, InvalidIdentity
from profiles.identities import CHANNEL_KINDS, PHONE_KINDS, IdentityKind, normalize, placeholder_name
from profiles.models import ContactChannel
from zdusers.text import clean_name as tidy_name

MAX_SUMMARY_BYTES = 64 * 1024
MAX_SUBJECT_CHARS = 255
MAX_NAME_CHARS = 255
MAX_SOURCE_REF_CHARS = 255
MAX_EXTRA_IDENTITIES = 20
# When a contact can have happened: not before the first help desks kept email (a year 1 or a 1 BC, which
# PostgreSQL would store, breaks every date shown after it), and not in the future beyond a skewed clock.
EARLIEST_CONTACT = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=1)

# What to ask a connector for when the contact point is missing ("user id" for handle kinds).
_POINT_NAMES = {
    IdentityKind.EMAIL: "email address",
    IdentityKind.PHONE: "phone number",
    IdentityKind.WHATSAPP: "phone number",
}


@dataclass(frozen=True)
class ContactPoint:
    """A normalized contact point: the value as received and its key."""

    kind: str
    value: str
    normalized: str

    def matching_kinds(self) -> tuple[str, ...]:
        """The kinds whose identities with the same key are this contact point (phone and WhatsApp share E.164)."""
        return tuple(PHONE_KINDS) if self.kind in PHONE_KINDS else (self.kind,)


@dataclass(frozen=True)
class InboundContact:
    """A contact that passed `check_contact()`: every value valid, normalized and within its limit."""

    channel: str
    contact_point: ContactPoint
    extra_identities: tuple[ContactPoint, ...]
    name: str | None
    subject: str
    summary: str
    source_ref: str | None
    occurred_at: datetime


def check_contact(
    *,
    channel: str,
    contact_point: str,
    source_ref: str | None = None,
    occurred_at: datetime | None = None,
    name: str | None = None,
    subject: str = "",
    summary: str = "",
    identities: Iterable[tuple[str, str]] = (),
) -> InboundContact:
    """Validate and normalize an inbound contact without touching the database.

    Raises InvalidContact listing every field at fault, each with a sentence that
    names the value and the rule (field names as in the inbound API).
    """
    errors: list[tuple[str, str]] = []
    kind = CHANNEL_KINDS.get(channel) if isinstance(channel, str) else None
    point = None
    if kind is None:
        if channel == ContactChannel.WALK_IN:
            message = "A walk-in has no contact point to match; log it on the customer's profile instead."
        else:
            message = f"{channel!r} is not an inbound channel; use one of {', '.join(CHANNEL_KINDS)}."
        errors.append(("channel", message))
    else:
        point = _contact_point(errors, "contact_point", kind, contact_point)
    extras = _extra_identities(errors, identities, point)
    clean_subject = _text(errors, "subject", subject, max_chars=MAX_SUBJECT_CHARS)
    clean_summary = _text(errors, "summary", summary, max_bytes=MAX_SUMMARY_BYTES, strip=False)
    clean_name = _text(errors, "name", name, max_chars=MAX_NAME_CHARS)
    clean_name = tidy_name(clean_name) or None
    clean_ref = None
    if source_ref is not None:
        found = len(errors)
        clean_ref = _text(errors, "source_ref", source_ref, max_chars=MAX_SOURCE_REF_CHARS) or None
        if clean_ref is None and len(errors) == found:
            errors.append(("source_ref", "The source_ref is blank; send the connector's message id or leave it out."))
    if occurred_at is None:
        occurred_at = timezone.now()
    elif not isinstance(occurred_at, datetime):
        errors.append(("occurred_at", f"occurred_at must be a date and time, not {occurred_at!r}."))
    elif timezone.is_naive(occurred_at):
        errors.append(("occurred_at", f"occurred_at {occurred_at.isoformat()} has no time zone; add one (e.g. Z)."))
    elif not EARLIEST_CONTACT <= occurred_at <= timezone.now() + FUTURE_TOLERANCE:
        errors.append(
            (
                "occurred_at",
                f"occurred_at {occurred_at.isoformat()} is not a time a contact can have happened: use a time "
                f"from {EARLIEST_CONTACT:%Y-%m-%d} to now (a clock up to a day ahead is tolerated).",
            )
        )
    if errors:
        raise InvalidContact(errors)
    return InboundContact(
        channel=channel,
        contact_point=point,
        extra_identities=extras,
        name=clean_name,
        subject=clean_subject,
        summary=clean_summary,
        source_ref=clean_ref,
        occurred_at=occurred_at,
    )


def derive_name(kind: str, normalized: str) -> str:
    """A readable name for a profile known only by this contact point (profiles.identities.placeholder_name),
    within limits: what a channel's message or a nameless import row is named after."""
    return placeholder_name(kind, normalized)[:MAX_NAME_CHARS]


# --- validation ------------------------------------------------------------------------------------------


def _contact_point(errors: list[tuple[str, str]], field: str, kind: str, value: object) -> ContactPoint | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append((field, f"The {field} is missing; send the {_POINT_NAMES.get(kind, 'user id')} to match."))
        return None
    try:
        normalized = normalize(kind, value)
    except InvalidIdentity as error:
        errors.append((field, error.message))
        return None
    return ContactPoint(kind=kind, value=value.strip(), normalized=normalized)


def _extra_identities(
    errors: list[tuple[str, str]], identities: Iterable[tuple[str, str]], point: ContactPoint | None
) -> tuple[ContactPoint, ...]:
    given = list(identities)
    if len(given) > MAX_EXTRA_IDENTITIES:
        errors.append(
            ("identities", f"At most {MAX_EXTRA_IDENTITIES} extra identities per contact (got {len(given)}).")
        )
        return ()
    seen = {(point.kind, point.normalized)} if point else set()
    extras = []
    for index, (kind, value) in enumerate(given):
        if kind not in IdentityKind.values:
            errors.append(
                (
                    f"identities[{index}].kind",
                    f"{kind!r} is not an identity kind; use one of {', '.join(IdentityKind.values)}.",
                )
            )
            continue
        extra = _contact_point(errors, f"identities[{index}].value", kind, value)
        if extra is not None and (extra.kind, extra.normalized) not in seen:
            seen.add((extra.kind, extra.normalized))
            extras.append(extra)
    return tuple(extras)


def _text(
    errors: list[tuple[str, str]],
    field: str,
    value: object,
    *,
    max_chars: int | None = None,
    max_bytes: int | None = None,
    strip: bool = True,
) -> str:
    """`value` as text to store, or "" after adding an error (None is "")."""
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append((field, f"The {field} must be text, not {type(value).__name__}."))
        return ""
    if "\x00" in value:
        errors.append((field, f"The {field} contains a NUL character (\\u0000), which cannot be stored."))
        return ""
    try:
        size = len(value.encode())
    except UnicodeEncodeError:
        errors.append((field, f"The {field} contains an unpaired UTF-16 surrogate, which is not a character."))
        return ""
    text = value.strip() if strip else value
    if max_chars is not None and len(text) > max_chars:
        errors.append((field, f"The {field} is {len(text):,} characters long; the limit is {max_chars:,}."))
        return ""
    if max_bytes is not None and size > max_bytes:
        errors.append(
            (field, f"The {field} is {size:,} bytes long; the limit is {max_bytes:,} bytes ({max_bytes // 1024} KiB).")
        )
        return ""
    return text
