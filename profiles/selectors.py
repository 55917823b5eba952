"""Read queries for end users: finding a profile by anything a person might type."""

from __future__ import annotations

from contextlib import suppress

from django.db.models import Prefetch, Q, QuerySet

from profiles.errors import InvalidIdentity
from profiles.identities import (
    CASE_INSENSITIVE_HANDLE_KINDS,
    PHONE_KINDS,
    IdentityKind,
    normalize_email,
    normalize_phone,
)
from profiles.models import EndUser, Identity

LISTED_PRIMARY_KINDS = (IdentityKind.EMAIL, IdentityKind.PHONE)
_OPAQUE_HANDLE_KINDS = frozenset({IdentityKind.LINE, IdentityKind.SDK, IdentityKind.OTHER})


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
        keys |= Q(kind__in=_OPAQUE_HANDLE_KINDS, normalized=handle)
    return keys or None


def enduser_search_q(text: str) -> Q:
    """Profiles whose name contains `text`, whose external id is `text`, or owning an identity `text` names.

    The identity owners are looked up first (an indexed key lookup) and passed as
    ids, so PostgreSQL can OR three index scans instead of scanning every profile.
    """
    text = text.strip()
    condition = Q(name__icontains=text) | Q(external_id=text)
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
