"""Read queries for end users: finding a profile by anything a person might type."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils import timezone

from organizations.models import Membership, Organization
from profiles.db_functions import folded_name_contains
from profiles.errors import InvalidIdentity
from profiles.identities import (
    CASE_INSENSITIVE_HANDLE_KINDS,
    OPAQUE_HANDLE_KINDS,
    PHONE_KINDS,
    IdentityKind,
    normalize_email,
    normalize_phone,
)
from profiles.merges.selectors import merge_that_absorbed
from profiles.models import Contact, EndUser, Identity, MergeRecord, RetiredExternalId
from profiles.search import ParsedQuery, SearchSyntaxError

LISTED_PRIMARY_KINDS = (IdentityKind.EMAIL, IdentityKind.PHONE)


def identity_keys_matching(text: str) -> Q | None:
    """Identity rows whose normalized key equals `text` read as an email, a phone number or a handle.

    Returns None when `text` cannot be any contact point, so callers can skip the lookup.
    """
    text = text.strip()
    if not text:
        return None
    keys = Q()
    if "@" in text.strip("@"):
        with suppress(InvalidIdentity):  # not an email: it may still be a name or a handle
            keys |= Q(kind=IdentityKind.EMAIL, normalized=normalize_email(text))
    if sum(ch.isdigit() for ch in text) >= 6:
        with suppress(InvalidIdentity):
            keys |= Q(kind__in=PHONE_KINDS, normalized=normalize_phone(text))
    handle = text.lstrip("@")
    if handle and not any(ch.isspace() for ch in handle):
        keys |= Q(kind__in=CASE_INSENSITIVE_HANDLE_KINDS, normalized=handle.lower())
        keys |= Q(kind__in=OPAQUE_HANDLE_KINDS, normalized=handle)
    return keys or None


def enduser_search_q(text: str) -> Q:
    """Profiles whose name contains `text`, whose external id is `text`, or owning an identity `text` names.

    The identity owners are looked up first (an indexed key lookup) and passed as
    ids, so PostgreSQL can OR three index scans instead of scanning every profile.
    """
    text = text.strip()
    condition = Q(folded_name_contains(text)) | Q(external_id=text)
    keys = identity_keys_matching(text)
    if keys is not None:
        owner_ids = list(Identity.objects.filter(keys).values_list("user_id", flat=True))
        if owner_ids:
            condition |= Q(pk__in=owner_ids)
    return condition


def with_primary_contact_points(queryset: QuerySet[EndUser]) -> QuerySet[EndUser]:
    """Fetch each listed profile's primary email and phone in one more query per page.

    A prefetch runs after the page is sliced, so deep pages do not pay for the rows
    they skip (a subquery column would be computed for every skipped row).
    Read the values with `primary_contact_point()`.
    """
    primaries = Identity.objects.filter(is_primary=True, kind__in=LISTED_PRIMARY_KINDS).only("user_id", "kind", "value")
    return queryset.prefetch_related(Prefetch("identities", queryset=primaries, to_attr="primary_identities"))


def primary_contact_point(user: EndUser, kind: str) -> str | None:
    """The value of `user`'s primary identity of `kind`, from `with_primary_contact_points()`."""
    return next((identity.value for identity in user.primary_identities if identity.kind == kind), None)


def identity_owner(*, kind: str, normalized: str, exclude_identity_id: int | None = None) -> EndUser | None:
    """The profile that already owns this contact point, if any."""
    identity = (
        Identity.objects.filter(kind=kind, normalized=normalized)
        .exclude(pk=exclude_identity_id)
        .select_related("user")
        .first()
    )
    return identity.user if identity else None


# --- Directory -------------------------------------------------------------------


def directory_queryset(query: ParsedQuery, *, include_merged: bool = False) -> QuerySet[EndUser]:
    """Profiles matching a parsed directory query (terms AND-ed), live ones unless asked otherwise.

    Contact-point terms are resolved to owner ids first (one indexed lookup each),
    so the main query only combines index scans. Raises SearchSyntaxError when an
    `org:` term names no organization.
    """
    queryset = EndUser.objects.all() if include_merged else EndUser.objects.filter(merged_into__isnull=True)
    for email in query.emails:
        queryset = queryset.filter(pk__in=_owner_ids(Q(kind=IdentityKind.EMAIL, normalized=email)))
    for phone in query.phones:
        queryset = queryset.filter(pk__in=_owner_ids(Q(kind__in=PHONE_KINDS, normalized=phone)))
    for handle in query.handles:
        queryset = queryset.filter(pk__in=_owner_ids(_handle_keys(handle)))
    for name in query.names:
        queryset = queryset.filter(folded_name_contains(name))
    for word in query.words:
        queryset = queryset.filter(Q(folded_name_contains(word)) | Q(external_id=word))
    for organization in query.orgs:
        queryset = queryset.filter(member_of_q(resolve_organization_ids(organization)))
    for tag in query.tags:
        queryset = queryset.filter(tag_q(tag))
    if query.created_after:
        queryset = queryset.filter(created_at__gte=start_of_day(query.created_after))
    if query.created_before:
        queryset = queryset.filter(created_at__lt=start_of_day(query.created_before))
    return queryset


@dataclass(frozen=True)
class DirectHit:
    """The one live profile an exact email, phone or external id names. When what was typed belonged to a
    profile merged into it: that profile and when the merge was made (None for an unrecorded merge)."""

    profile: EndUser
    merged_away: EndUser | None = None
    merged_at: datetime | None = None


def direct_hit(query: ParsedQuery) -> DirectHit | None:
    """The one profile an exact email, phone or external id names; None when the query is not exact or names
    several profiles.

    What a merged-away profile had leads to its survivor, with that profile named: a contact point the merge
    moved (found in the survivor's merge records), one still on a tombstone, or an external id the tombstone
    gave up (RetiredExternalId).
    """
    if query.exact_contact_point:
        keys = (
            Q(kind=IdentityKind.EMAIL, normalized=query.emails[0])
            if query.emails
            else Q(kind__in=PHONE_KINDS, normalized=query.phones[0])
        )
        held = list(Identity.objects.filter(keys).values_list("pk", "normalized", "user_id")[:1000])
        owner_ids = {user_id for _, _, user_id in held}
        if len(owner_ids) != 1:
            return None
        return _hit(EndUser.objects.get(pk=owner_ids.pop()), held=frozenset((pk, key) for pk, key, _ in held))
    if not (len(query.words) == 1 and query.is_only_words):
        return None
    external_id = query.words[0]
    owners = list(EndUser.objects.filter(external_id=external_id)[:2])
    if len(owners) == 1:
        return _hit(owners[0])
    if owners:
        return None
    retired = (
        RetiredExternalId.objects.filter(external_id=external_id)
        .select_related("user", "merge_record")
        .order_by("-merge_record__created_at", "-pk")
        .first()
    )
    if retired is None:
        return None
    return DirectHit(live_profile(retired.user), retired.user, retired.merge_record.created_at)


def _hit(owner: EndUser, held: frozenset[tuple[int, str]] = frozenset()) -> DirectHit:
    """`owner` found by what was typed (`held`: the (id, key) of the identities found), as a DirectHit."""
    survivor = live_profile(owner)
    if survivor.pk != owner.pk:  # still on the tombstone
        record = merge_that_absorbed(owner)
        return DirectHit(survivor, owner, record.created_at if record else None)
    records = (
        MergeRecord.objects.filter(survivor=owner, undone_at__isnull=True)
        .only("pk", "identities", "created_at")
        .order_by("-created_at", "-pk")
    )
    for record in records[:50] if held else ():
        moved = next((i for i in record.identities if (i["id"], i["normalized"]) in held), None)
        if moved is not None:
            return DirectHit(owner, EndUser.objects.get(pk=moved["user_id"]), record.created_at)
    return DirectHit(owner)


def live_profile(user: EndUser) -> EndUser:
    """Follow `merged_into` from a tombstone to the profile that absorbed it (chains included)."""
    seen = {user.pk}
    while user.merged_into_id is not None and user.merged_into_id not in seen:
        seen.add(user.merged_into_id)
        user = EndUser.objects.get(pk=user.merged_into_id)
    return user


def resolve_organization_ids(value: str) -> list[int]:
    """Organizations named by an id or a name (case ignored); SearchSyntaxError when there is none."""
    value = value.strip()
    # LOWER(name) = LOWER(value) is what the unique index on organization names serves.
    condition = Exact(Lower("name"), Lower(Value(value))) | (Q(pk=int(value)) if value.isdigit() else Q())
    ids = list(Organization.objects.filter(condition).values_list("pk", flat=True)[:10])
    if not ids:
        raise SearchSyntaxError(f"No organization is called {value!r}; check the name or use its id.")
    return ids


# Up to this many members, the directory filters by their ids (a few index lookups
# and a small sort); above it, by EXISTS while walking the name index, where
# members are dense enough to fill a page quickly.
MEMBER_IDS_INLINE_LIMIT = 5_000


def member_of_q(organization_ids: list[int]) -> Q:
    """Profiles belonging to any of the organizations, phrased for the fastest plan at their size."""
    # No ORDER BY (Membership's default ordering would sort every member): an index-only scan of the ids.
    members = Membership.objects.filter(organization_id__in=organization_ids).order_by()
    user_ids = list(members.values_list("user_id", flat=True)[: MEMBER_IDS_INLINE_LIMIT + 1])
    if len(user_ids) <= MEMBER_IDS_INLINE_LIMIT:
        return Q(pk__in=user_ids)
    return Q(Exists(members.filter(user=OuterRef("pk"))))


def tag_q(tag: str) -> Q:
    """Profiles carrying `tag` (tags are stored normalized: lower-case, no spaces or quotes)."""
    if connection.vendor == "postgresql":
        return Q(tags__contains=[tag])  # jsonb @>, served by a GIN index
    return Q(tags__icontains=f'"{tag}"')  # SQLite stores the list as JSON text


def with_directory_columns(queryset: QuerySet[EndUser]) -> QuerySet[EndUser]:
    """What a directory row shows besides its contact count, fetched per page like the primary contact points."""
    defaults = Membership.objects.filter(is_default=True).select_related("organization")
    return with_primary_contact_points(queryset).prefetch_related(
        Prefetch("memberships", queryset=defaults, to_attr="default_memberships")
    )


def contact_counts(user_ids: list[int]) -> dict[int, int]:
    """Number of contacts per requester, for the profiles on one page."""
    rows = Contact.objects.filter(requester_id__in=user_ids).values("requester_id").annotate(total=Count("pk"))
    return {row["requester_id"]: row["total"] for row in rows.order_by()}


def _owner_ids(keys: Q) -> list[int]:
    return list(Identity.objects.filter(keys).values_list("user_id", flat=True)[:1000])


def _handle_keys(handle: str) -> Q:
    handle = handle.lstrip("@")
    return Q(kind__in=CASE_INSENSITIVE_HANDLE_KINDS, normalized=handle.lower()) | Q(
        kind__in=OPAQUE_HANDLE_KINDS, normalized=handle
    )


def start_of_day(day: date) -> datetime:
    """Midnight of `day` in the desk's time zone (an index-friendly bound for created_at)."""
    return timezone.make_aware(datetime.combine(day, time.min))
