"""Channel intake: every inbound contact lands on the right profile, exactly once.

`record_contact()` is what connectors (through `POST /api/inbound/`), the channel
simulator and the "log a contact" form call. Given a channel and the contact
point the message came from, it

1. normalizes the contact point for the channel (voice and SMS are phone
   numbers, web chat and the mobile SDK are SDK user ids, ...);
2. finds the live profile owning it, following `merged_into` from a tombstone to
   its survivor. Phone and WhatsApp share one E.164 key space: a WhatsApp message
   from a number a profile has as its phone lands on that profile, which gains
   the WhatsApp identity (and the other way round);
3. or, when nobody owns it, creates a profile (source `channel`, the name given
   or one derived from the contact point) with that identity as its primary one,
   and puts it in the organization owning its email domain when that domain
   auto-assigns;
4. adds the extra contact points given with the message (the email a WhatsApp
   caller typed) when they are free; one owned by another profile is not added
   and is reported in `IntakeResult.conflicts` instead (a duplicate signal);
5. creates the Contact, linked to that identity and to the requester's default
   organization, and routes it to a team in the same transaction
   (`organizations.routing.services.route_new_contact`: the first matching rule, or no team).

Exactly once: the same (channel, source_ref) again returns the first delivery's
ids and writes nothing. Concurrent deliveries are settled by the database's
unique keys, not by table locks: a delivery that collides with another one
committed after it looked (same new contact point, same source_ref) rolls back
everything it wrote and runs again, now finding the winner's rows. The one lock
taken is FOR SHARE on the requester's row while its contact is inserted, so a
merge moving that profile's contacts cannot miss it (`intake_sql.insert_contact`).

Input validation lives in intake.inbound (`check_contact`); the statements of
the hot path, written for the 500 contacts/s budget, in `intake_sql`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from intake.inbound import ContactPoint, InboundContact, check_contact, derive_name
from intake.services import contacts_sql as intake_sql
from intake.services.contacts_sql import CREATES_PROFILE_IN_ONE_STATEMENT
from organizations.models import Membership
from organizations.routing.rules import Facts
from organizations.routing.services import route_new_contact
from organizations.services.auto_assign import auto_assign_by_email
from profiles.duplicates import hooks
from profiles.errors import ProfileError
from profiles.identities import PHONE_KINDS, IdentityKind
from profiles.models import Contact, ContactStatus, EndUser, EndUserSource, Identity

logger = logging.getLogger(__name__)

# A first try, a retry after a collision on the contact point or source_ref, one more for a collision on an
# extra identity with yet another delivery; a collision that survives that is not a race and is raised.
_ATTEMPTS = 3


@dataclass(frozen=True)
class IdentityConflict:
    """A contact point given with a contact that another live profile already owns."""

    kind: str
    normalized: str
    owner_id: int
    owner_name: str


@dataclass(frozen=True)
class IntakeResult:
    """What `record_contact()` did. A replay (`created_contact` false) carries the first delivery's ids."""

    user_id: int
    contact_id: int
    created_user: bool
    created_contact: bool
    conflicts: tuple[IdentityConflict, ...] = ()

    @property
    def replay(self) -> bool:
        return not self.created_contact


def record_contact(
    *,
    channel: str,
    contact_point: str,
    source_ref: str | None = None,
    occurred_at: datetime | None = None,
    name: str | None = None,
    subject: str = "",
    summary: str = "",
    identities: Iterable[tuple[str, str]] = (),
) -> IntakeResult:
    """Record one inbound contact on the profile owning `contact_point`, creating the profile if nobody does.

    `identities` are extra (kind, value) contact points given with the message.
    `source_ref` is the connector's message id: the same (channel, source_ref)
    twice records one contact. Contacts without one (a call logged by hand) are
    not deduplicated. `occurred_at` (timezone-aware, default now) becomes the
    contact's creation time.

    Guarantees: all or nothing — a known customer's contact is one INSERT, anything
    more is one transaction (a savepoint inside a caller's); invalid input raises
    InvalidContact naming every field at fault before anything is written;
    concurrent deliveries of one new contact point create one profile; a contact
    never lands on a profile merged away meanwhile. After commit,
    `hooks.after_profile_created` runs for a new profile and
    `hooks.after_identity_conflicts` when `conflicts` is not empty.
    """
    inbound = check_contact(
        channel=channel,
        contact_point=contact_point,
        source_ref=source_ref,
        occurred_at=occurred_at,
        name=name,
        subject=subject,
        summary=summary,
        identities=identities,
    )
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return _record(inbound)
        except (IntegrityError, _ProfileMergedMeanwhile) as collision:
            # Another delivery committed the same key after this one looked, or a merge tombstoned the owner.
            # The attempt's writes were rolled back; under READ COMMITTED the next one sees the other's rows.
            if attempt < _ATTEMPTS:
                continue
            if isinstance(collision, IntegrityError):
                raise
            raise ProfileError(
                "The customer's profile was merged again and again while this contact was recorded; send it again."
            ) from None
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


# --- writing ---------------------------------------------------------------------------------------------


class _ProfileMergedMeanwhile(Exception):
    """The owning profile was merged away between the lookup and the insert: look again."""


def _record(inbound: InboundContact, *, line_locked: bool = False) -> IntakeResult:
    point = inbound.contact_point
    found = intake_sql.lookup(
        channel=inbound.channel,
        source_ref=inbound.source_ref,
        kinds=point.matching_kinds(),
        normalized=point.normalized,
        kind=point.kind,
    )
    if found.first_delivery is not None:
        contact_id, requester_id = found.first_delivery
        return IntakeResult(user_id=requester_id, contact_id=contact_id, created_user=False, created_contact=False)
    user_id, organization_id = found.owner_id, found.organization_id
    if user_id is None and not line_locked and intake_sql.locks_phone_lines() and point.kind in PHONE_KINDS:
        # A new number: an SMS and a WhatsApp message from it may arrive at once, as identities of two kinds
        # that no unique key sets against each other. Whoever holds the line's lock creates the profile; the
        # other looks again after it commits and finds it.
        with transaction.atomic():
            intake_sql.lock_line(point.normalized)
            return _record(inbound, line_locked=True)
    if found.owner_merged_into_id is not None:
        user_id = _live(found.owner_id, found.owner_merged_into_id)
        organization_id = _default_organization_id(user_id)
    no_extras = not inbound.extra_identities
    if no_extras and found.identity_id is not None:
        # The common case, a known customer writing again: the contact's INSERT and its route's, one
        # transaction (a savepoint inside a caller's), so a replay finds both or neither.
        tags = found.owner_tags if user_id == found.owner_id else _tags(user_id)
        with transaction.atomic():
            contact_id = intake_sql.insert_contact(_contact(inbound, user_id, found.identity_id, organization_id))
            if contact_id is None:
                raise _ProfileMergedMeanwhile
            _route(inbound, contact_id, organization_id, tags)
        return IntakeResult(user_id=user_id, contact_id=contact_id, created_user=False, created_contact=True)
    if no_extras and user_id is None and not found.domain_auto_assigns and _creates_profile_in_one_statement():
        # A new customer with nothing to decide but the profile itself: its three rows in one statement,
        # which fills in the new ids, then the contact's route.
        with transaction.atomic():
            user_id, _, contact_id = intake_sql.create_profile_with_contact(
                user=_new_profile(inbound),
                identity=_primary_identity(point),
                contact=_contact(inbound, None, None, None),
            )
            _route(inbound, contact_id, None, ())
        transaction.on_commit(partial(hooks.after_profile_created, user_id=user_id))
        return IntakeResult(user_id=user_id, contact_id=contact_id, created_user=True, created_contact=True)
    with transaction.atomic():
        return _record_in_transaction(inbound, found, user_id, organization_id)


def _record_in_transaction(
    inbound: InboundContact, found: intake_sql.Found, user_id: int | None, organization_id: int | None
) -> IntakeResult:
    """Create the profile or add identities to it, auto-assign, then the contact: several rows, one transaction."""
    point = inbound.contact_point
    identity_id = found.identity_id
    created_user = user_id is None
    primary_kinds: set[str] | None = None  # kinds in which the profile has a primary identity, read when needed
    emails: list[Identity] = []  # of a new profile, for auto-assignment
    if user_id is None:
        user = _new_profile(inbound)
        user.save(force_insert=True)
        user_id = user.pk
        identity = _primary_identity(point)
        identity.user = user
        identity.save(force_insert=True)
        identity_id, primary_kinds = identity.pk, {point.kind}
        if point.kind == IdentityKind.EMAIL and found.domain_auto_assigns:
            emails.append(identity)
    elif identity_id is None:
        # The number is this profile's phone and now writes on WhatsApp (or the other way round).
        primary_kinds = _primary_kinds(user_id)
        identity_id = _attach(user_id, point, primary_kinds).pk
    attached = not created_user and identity_id != found.identity_id
    added, conflicts = _add_extra_identities(user_id, inbound.extra_identities, primary_kinds)
    if created_user:
        for email in [*emails, *(i for i in added if i.kind == IdentityKind.EMAIL)]:
            membership = auto_assign_by_email(user=user, email=email.normalized)
            if membership is not None and membership.is_default:
                organization_id = membership.organization_id
    contact_id = intake_sql.insert_contact(_contact(inbound, user_id, identity_id, organization_id))
    if contact_id is None:
        raise _ProfileMergedMeanwhile
    if created_user:
        tags: tuple[str, ...] = ()
    else:
        tags = found.owner_tags if user_id == found.owner_id else _tags(user_id)
    _route(inbound, contact_id, organization_id, tags)
    if created_user:
        transaction.on_commit(partial(hooks.after_profile_created, user_id=user_id))
    elif attached or added:
        transaction.on_commit(partial(hooks.after_profile_changed, user_id=user_id))
    if conflicts:
        for conflict in conflicts:
            logger.info(
                "Contact #%s: %s %s given for profile #%s already belongs to profile #%s.",
                contact_id,
                conflict.kind,
                conflict.normalized,
                user_id,
                conflict.owner_id,
            )
        owner_ids = tuple(dict.fromkeys(conflict.owner_id for conflict in conflicts))
        transaction.on_commit(partial(hooks.after_identity_conflicts, user_id=user_id, owner_ids=owner_ids))
    return IntakeResult(
        user_id=user_id,
        contact_id=contact_id,
        created_user=created_user,
        created_contact=True,
        conflicts=tuple(conflicts),
    )


def _route(inbound: InboundContact, contact_id: int, organization_id: int | None, tags: tuple[str, ...]) -> None:
    """Route the new contact to its team with what intake already knows (no read of the contact back)."""
    point = inbound.contact_point
    email_domain = point.normalized.rpartition("@")[2] if point.kind == IdentityKind.EMAIL else ""
    facts = Facts(
        organization_id=organization_id, channel=inbound.channel, enduser_tags=tags, email_domain=email_domain
    )
    route_new_contact(contact_id=contact_id, facts=facts, routed_at=timezone.now())


def _tags(user_id: int) -> tuple[str, ...]:
    """The tags of a profile intake reached by following a merge (its lookup read the tombstone's)."""
    return tuple(EndUser.objects.filter(pk=user_id).values_list("tags", flat=True).first() or ())


def _creates_profile_in_one_statement() -> bool:
    return connection.vendor in CREATES_PROFILE_IN_ONE_STATEMENT


def _new_profile(inbound: InboundContact) -> EndUser:
    point = inbound.contact_point
    return EndUser(name=inbound.name or derive_name(point.kind, point.normalized), source=EndUserSource.CHANNEL)


def _primary_identity(point: ContactPoint) -> Identity:
    return Identity(kind=point.kind, value=point.value, normalized=point.normalized, is_primary=True)


def _contact(
    inbound: InboundContact, user_id: int | None, identity_id: int | None, organization_id: int | None
) -> Contact:
    return Contact(
        requester_id=user_id,
        via_identity_id=identity_id,
        channel=inbound.channel,
        subject=inbound.subject,
        summary=inbound.summary,
        status=ContactStatus.NEW,
        organization_id=organization_id,
        source_ref=inbound.source_ref,
        created_at=inbound.occurred_at,
    )


def _live(user_id: int, merged_into_id: int | None) -> int:
    """The profile `user_id` was merged into, following a chain of merges; `user_id` itself when live."""
    seen = [user_id]
    while merged_into_id is not None:
        if merged_into_id in seen:
            chain = " → ".join(f"#{pk}" for pk in [*seen, merged_into_id])
            raise ProfileError(f"The merged profiles {chain} point at each other in a loop; fix merged_into first.")
        seen.append(merged_into_id)
        merged_into_id = EndUser.objects.filter(pk=merged_into_id).values_list("merged_into_id", flat=True).get()
    return seen[-1]


def _primary_kinds(user_id: int) -> set[str]:
    return set(Identity.objects.filter(user_id=user_id, is_primary=True).values_list("kind", flat=True))


def _attach(user_id: int, point: ContactPoint, primary_kinds: set[str]) -> Identity:
    """Add a free contact point to the profile; the first of its kind becomes primary.

    A concurrent delivery taking the same key or primary slot first raises IntegrityError: the attempt is retried.
    """
    is_primary = point.kind not in primary_kinds
    identity = Identity.objects.create(
        user_id=user_id, kind=point.kind, value=point.value, normalized=point.normalized, is_primary=is_primary
    )
    if is_primary:
        primary_kinds.add(point.kind)
    return identity


def _add_extra_identities(
    user_id: int, extras: tuple[ContactPoint, ...], primary_kinds: set[str] | None
) -> tuple[list[Identity], list[IdentityConflict]]:
    """Attach the free extra contact points to the profile; report those owned by another live profile."""
    if not extras:
        return [], []
    keys = Q()
    for point in extras:
        keys |= Q(kind__in=point.matching_kinds(), normalized=point.normalized)
    rows = Identity.objects.filter(keys).values_list("kind", "normalized", "user_id", "user__merged_into_id")
    live_ids = {(kind, key): _live(owner_id, merged_into_id) for kind, key, owner_id, merged_into_id in rows}
    names = dict(EndUser.objects.filter(pk__in=set(live_ids.values())).values_list("pk", "name"))
    # (kind, key) -> (id, name) of the live profile owning it
    owners = {key: (owner_id, names[owner_id]) for key, owner_id in live_ids.items()}
    added: list[Identity] = []
    conflicts: list[IdentityConflict] = []
    for point in extras:
        owner = owners.get((point.kind, point.normalized))
        if owner is not None and owner[0] == user_id:
            continue  # already this profile's
        if owner is None:  # the same number under the other phone kind counts too
            owner = next(
                (
                    o
                    for kind in point.matching_kinds()
                    if (o := owners.get((kind, point.normalized))) and o[0] != user_id
                ),
                None,
            )
        if owner is not None:
            conflicts.append(IdentityConflict(point.kind, point.normalized, owner[0], owner[1]))
            continue
        if primary_kinds is None:
            primary_kinds = _primary_kinds(user_id)
        added.append(_attach(user_id, point, primary_kinds))
    return added, conflicts


def _default_organization_id(user_id: int) -> int | None:
    rows = Membership.objects.filter(user_id=user_id, is_default=True).values_list("organization_id", flat=True)
    return next(iter(rows[:1]), None)
