"""Read queries for end users: finding a profile by anything a person might type."""

from __future__ import annotations

from contextlib import suppress

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from profiles.errors import InvalidIdentity
from profiles.identities import (
    CASE_INSENSITIVE_HANDLE_KINDS,
    PHONE_KINDS,
    IdentityKind,
    normalize_email,
    normalize_phone,
)
from profiles.models import EndUser, Identity

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
    """Profiles whose name contains `text`, whose external id is `text`, or owning an identity `text` names."""
    text = text.strip()
    condition = Q(name__icontains=text) | Q(external_id=text)
    keys = identity_keys_matching(text)
    if keys is not None:
        condition |= Q(Exists(Identity.objects.filter(keys, user=OuterRef("pk"))))
    return condition


def with_primary_contact_points(queryset: QuerySet[EndUser]) -> QuerySet[EndUser]:
    """Annotate `primary_email` and `primary_phone` in the same query (no N+1 in lists)."""

    def primary(kind: str) -> Subquery:
        return Subquery(Identity.objects.filter(user=OuterRef("pk"), kind=kind, is_primary=True).values("value")[:1])

    return queryset.annotate(primary_email=primary(IdentityKind.EMAIL), primary_phone=primary(IdentityKind.PHONE))


def identity_owner(*, kind: str, normalized: str, exclude_identity_id: int | None = None) -> EndUser | None:
    """The profile that already owns this contact point, if any."""
    identity = (
        Identity.objects.filter(kind=kind, normalized=normalized)
        .exclude(pk=exclude_identity_id)
        .select_related("user")
        .first()
    )
    return identity.user if identity else None
