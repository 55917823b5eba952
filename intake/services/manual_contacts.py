"""Contacts an agent logs by hand: a phone call or a walk-in, on a chosen profile or for a caller.

Channel intake (`record_contact`) matches a message to a profile by the contact
point it came from, so it refuses walk-ins, which have none. Here the agent has
already decided whose contact it is:

- `log_contact_by_hand()` records a contact on a chosen profile, through one of
  its identities or through a number the caller gave (added to the profile), and
  adds the email the agent asked for;
- `log_contact_for_caller()` is the "Log a call" page: the profile owning the
  number (or email) the caller gave gets the contact; nobody owns it → a new
  profile (source `agent`) with those contact points, then the contact. When the
  agent says the caller is a different person, a new profile it is, or nothing.

Both are all or nothing: a contact point another profile owns raises
IdentityTaken naming the owner and nothing at all is written. The contact is routed to its team
like an inbound one. Who logged the
contact is written to the log (the Contact model has no author column yet).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from intake.inbound import EARLIEST_CONTACT, MAX_SUBJECT_CHARS, MAX_SUMMARY_BYTES
from intake.services.new_profiles import NewIdentity, create_profile
from organizations.models import Membership
from organizations.routing.services import facts_of, route_new_contact
from profiles.errors import IdentityTaken, ProfileError
from profiles.identities import PHONE_KINDS, IdentityKind, normalize_email, normalize_phone
from profiles.models import Contact, ContactChannel, ContactStatus, EndUser, Identity
from profiles.services.identities import add_identity
from zdusers.text import clean_name

logger = logging.getLogger(__name__)

# The channels a person logs by hand; the others arrive through their connectors.
MANUAL_CHANNELS = (ContactChannel.VOICE, ContactChannel.WALK_IN, ContactChannel.OTHER)
# A clock a little ahead of the server's is not a contact from the future.
_CLOCK_SKEW = timedelta(minutes=5)
# More hops than any real chain of merges: a longer one is a loop.
_MAX_MERGE_HOPS = 20


@dataclass(frozen=True)
class LoggedContact:
    """What was written: the contact, its profile, whether that profile is new, the contact points added,
    and the profile's identity a caller was recognised by (their number, also as WhatsApp, or their email)."""

    user: EndUser
    contact: Contact
    created_user: bool
    added: tuple[Identity, ...]
    has_email: bool
    recognised_by: Identity | None = None


@transaction.atomic
def log_contact_by_hand(
    *,
    user: EndUser,
    channel: str,
    summary: str,
    subject: str = "",
    occurred_at: datetime | None = None,
    via_identity: Identity | None = None,
    phone: str = "",
    email: str = "",
    actor: AbstractBaseUser | None = None,
) -> LoggedContact:
    """Record a phone call, walk-in or other contact on `user`'s profile.

    The contact comes through `via_identity` (one of the profile's own; a phone
    or WhatsApp number for a call) or through `phone`, a number the caller gave:
    the profile's identity with that number, or a new phone identity added to it.
    A walk-in comes through no contact point: a `phone` given then is only added
    to the profile. `email` (optional) is added as an email identity; without a
    number, the contact is recorded as coming through that email. The
    contact's organization is the profile's default one, its status `new`.

    Refuses (ProfileError, nothing written): a channel that is not logged by
    hand, an empty summary, a subject or summary over the limits, a naive or
    future `occurred_at`, a merged-away profile, an identity of another profile
    or of the wrong kind. InvalidIdentity for a number or email that can't be
    read, IdentityTaken for one another profile owns.
    """
    subject, summary, occurred_at = _check(channel=channel, subject=subject, summary=summary, occurred_at=occurred_at)
    user = _lock(user.pk)
    if user.is_tombstone:
        raise ProfileError(
            f"{user.name} (#{user.pk}) was merged into another profile; log the contact on the surviving profile."
        )
    return _log(
        user=user,
        channel=channel,
        subject=subject,
        summary=summary,
        occurred_at=occurred_at,
        via_identity=via_identity,
        phone=phone,
        email=email,
        actor=actor,
        created_user=False,
    )


@transaction.atomic
def log_contact_for_caller(
    *,
    name: str,
    channel: str,
    summary: str,
    subject: str = "",
    phone: str = "",
    email: str = "",
    occurred_at: datetime | None = None,
    may_create: bool = True,
    new_person: bool = False,
    actor: AbstractBaseUser | None = None,
) -> LoggedContact:
    """Record a contact from a caller known by the number (and/or email) they gave, and maybe their name.

    The live profile owning `phone` (also as WhatsApp, or merged into another:
    then its survivor) gets the contact; without one, the profile owning `email`.
    The other contact point given is added to that profile. When nobody owns
    either, a profile named `name` (source `agent`) is created with them, joining
    the organization of an auto-assigning email domain, unless `may_create` is
    false (ProfileError). Deciding that a similar name is a different person is
    the caller's job (match-on-create); this function only matches contact points.

    `new_person`: the agent asked, and the caller is not who a matching profile
    is: a new profile is created. A number or email always belongs to one
    profile, so one another profile holds is then refused (IdentityTaken naming
    that profile) rather than logged there.

    Refuses as `log_contact_by_hand()` does, and a new profile without a name.
    """
    subject, summary, occurred_at = _check(channel=channel, subject=subject, summary=summary, occurred_at=occurred_at)
    e164 = normalize_phone(phone) if phone.strip() else ""
    address = normalize_email(email) if email.strip() else ""
    known = None if new_person else (_held(PHONE_KINDS, e164) or _held((IdentityKind.EMAIL,), address))
    if known is not None:
        user = _live_locked(known.user_id)
        created = False
    else:
        if not may_create:
            raise ProfileError(
                "Nobody has this number or email yet, and you may not create profiles; ask an admin or a colleague."
            )
        if not clean_name(name):
            raise ProfileError("Nobody has this number or email yet: type the caller's name to create their profile.")
        identities = [NewIdentity(IdentityKind.PHONE, phone)] if e164 else []
        if address:
            identities.append(NewIdentity(IdentityKind.EMAIL, email))
        user = create_profile(name=name, identities=identities, one_profile_per_line=True)
        created = True
    logged = _log(
        user=user,
        channel=channel,
        subject=subject,
        summary=summary,
        occurred_at=occurred_at,
        via_identity=None,
        phone=phone,
        email=email,
        actor=actor,
        created_user=created,
    )
    return replace(logged, recognised_by=known)


# --- the shared steps -------------------------------------------------------------------------------------


def _check(*, channel: str, subject: str, summary: str, occurred_at: datetime | None) -> tuple[str, str, datetime]:
    """Validate what the agent typed, before anything is written."""
    if channel not in MANUAL_CHANNELS:
        labels = ", ".join(ContactChannel(c).label for c in MANUAL_CHANNELS)
        raise ProfileError(f"{channel!r} contacts arrive through their channel; log only these by hand: {labels}.")
    subject = " ".join((subject or "").split())
    summary = (summary or "").strip()
    if not summary:
        raise ProfileError("Write a short summary of what the customer wanted.")
    if len(subject) > MAX_SUBJECT_CHARS:
        raise ProfileError(f"The subject is {len(subject):,} characters long; the limit is {MAX_SUBJECT_CHARS}.")
    if len(summary.encode()) > MAX_SUMMARY_BYTES:
        raise ProfileError(f"The summary is longer than {MAX_SUMMARY_BYTES // 1024} KiB; shorten it.")
    if "\x00" in subject or "\x00" in summary:
        raise ProfileError("The subject or summary contains a NUL character, which cannot be stored.")
    now = timezone.now()
    if occurred_at is None:
        occurred_at = now
    elif timezone.is_naive(occurred_at):
        raise ProfileError("The time of the contact has no time zone.")
    elif occurred_at > now + _CLOCK_SKEW:
        raise ProfileError("The contact can't have happened in the future; check the date and time.")
    elif occurred_at < EARLIEST_CONTACT:
        raise ProfileError(
            f"The contact can't have happened before {EARLIEST_CONTACT:%Y-%m-%d}; check the date and time."
        )
    return subject, summary, occurred_at


def _log(
    *,
    user: EndUser,
    channel: str,
    subject: str,
    summary: str,
    occurred_at: datetime,
    via_identity: Identity | None,
    phone: str,
    email: str,
    actor: AbstractBaseUser | None,
    created_user: bool,
) -> LoggedContact:
    """On a live, locked profile: settle the via identity, add the given contact points, insert the contact."""
    identities = list(Identity.objects.filter(user=user))
    added: list[Identity] = []
    if via_identity is not None:
        via_identity = _own_identity(user, identities, via_identity, channel)
    if phone.strip():
        number = _ensure(user, identities, added, IdentityKind.PHONE, normalize_phone(phone), phone)
        if channel != ContactChannel.WALK_IN:
            via_identity = number
    if email.strip():
        address = _ensure(user, identities, added, IdentityKind.EMAIL, normalize_email(email), email)
        if via_identity is None:
            via_identity = address  # no number: the call is on record through the email it was logged with
    if channel == ContactChannel.WALK_IN:
        via_identity = None  # the customer came in person
    organization_id = (
        Membership.objects.filter(user=user, is_default=True).values_list("organization_id", flat=True).first()
    )
    contact = Contact.objects.create(
        requester=user,
        via_identity=via_identity,
        channel=channel,
        subject=subject,
        summary=summary,
        status=ContactStatus.NEW,
        organization_id=organization_id,
        created_at=occurred_at,
    )
    contact.requester = user
    route_new_contact(contact_id=contact.pk, facts=facts_of(contact), routed_at=timezone.now())
    logger.info(
        "Contact #%s (%s) logged by hand on profile #%s by %s.",
        contact.pk,
        channel,
        user.pk,
        getattr(actor, "username", None) or "nobody",
    )
    has_email = any(identity.kind == IdentityKind.EMAIL for identity in [*identities, *added])
    return LoggedContact(user=user, contact=contact, created_user=created_user, added=tuple(added), has_email=has_email)


def _own_identity(user: EndUser, identities: list[Identity], chosen: Identity, channel: str) -> Identity | None:
    mine = next((identity for identity in identities if identity.pk == chosen.pk), None)
    if mine is None:
        raise ProfileError(f"{chosen.value} is not one of {user.name}'s contact points; choose one of theirs.")
    if channel == ContactChannel.VOICE and mine.kind not in PHONE_KINDS:
        raise ProfileError(
            f"A phone call comes from a phone number, not from the {mine.get_kind_display()} {mine.value}."
        )
    return mine


def _ensure(
    user: EndUser, identities: list[Identity], added: list[Identity], kind: str, normalized: str, value: str
) -> Identity:
    """The profile's identity with this key (a phone number also as its WhatsApp), or a new one added to it.

    A key another profile owns raises IdentityTaken naming the live owner; the caller's transaction rolls back.
    """
    kinds = PHONE_KINDS if kind in PHONE_KINDS else {kind}
    own = [i for i in [*identities, *added] if i.kind in kinds and i.normalized == normalized]
    exact = next((i for i in own if i.kind == kind), None)
    if exact is not None or own:
        return exact or own[0]
    taken = Identity.objects.filter(kind__in=list(kinds), normalized=normalized).order_by("pk").first()
    if taken is not None:
        owner = _live(taken.user_id)
        if owner.pk == user.pk:
            return taken  # still on a profile merged into this one, as intake finds it too
        label = "phone number" if kind == IdentityKind.PHONE else Identity.Kind(kind).label
        raise IdentityTaken(label, normalized, owner.pk, owner.name, kind_value=kind)
    identity = add_identity(user=user, kind=kind, value=value)
    added.append(identity)
    return identity


def _held(kinds, normalized: str) -> Identity | None:
    """The identity holding this key, a phone identity before a WhatsApp one with the same number."""
    if not normalized:
        return None
    held = Identity.objects.filter(kind__in=list(kinds), normalized=normalized)
    return min(held[:2], key=lambda identity: identity.kind != IdentityKind.PHONE, default=None)


def _lock(user_id: int) -> EndUser:
    return EndUser.objects.select_for_update().get(pk=user_id)


def _live(user_id: int) -> EndUser:
    """The live profile `user_id` is or was merged into (not locked)."""
    user = EndUser.objects.get(pk=user_id)
    for _ in range(_MAX_MERGE_HOPS):
        if user.merged_into_id is None:
            return user
        user = EndUser.objects.get(pk=user.merged_into_id)
    raise ProfileError(f"Profile #{user_id} is merged into a chain of profiles that never ends; fix merged_into.")


def _live_locked(user_id: int) -> EndUser:
    """Lock the live profile `user_id` is or was merged into, so a merge can't take it away meanwhile."""
    for _ in range(_MAX_MERGE_HOPS):
        user = _lock(user_id)
        if user.merged_into_id is None:
            return user
        user_id = user.merged_into_id
    raise ProfileError(f"Profile #{user_id} is merged into a chain of profiles that never ends; fix merged_into.")
