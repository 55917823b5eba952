"""A profile created by an agent: its contact points, and its organization when the email's domain auto-assigns."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from organizations.services.auto_assign import auto_assign_by_email
from profiles.duplicates import services as duplicates
from profiles.errors import ProfileError
from profiles.identities import IdentityKind
from profiles.models import EndUser, EndUserSource
from profiles.services.identities import add_identity
from zdusers.tags import normalize_tags


@dataclass(frozen=True)
class NewIdentity:
    kind: str
    value: str


@transaction.atomic
def create_profile(
    *,
    name: str,
    identities: list[NewIdentity],
    source: str = EndUserSource.AGENT,
    details: str = "",
    notes: str = "",
    tags: str | list[str] = "",
) -> EndUser:
    """Create a profile with its contact points, all or nothing.

    Each identity is normalized and must be free (IdentityTaken names the owner
    otherwise, and nothing is saved). A new profile whose email domain
    auto-assigns joins that organization.
    """
    name = " ".join((name or "").split())
    if not name:
        raise ProfileError("A profile needs a name; use the email or phone if you don't know it.")
    user = EndUser.objects.create(name=name, source=source, details=details, notes=notes, tags=normalize_tags(tags))
    for identity in identities:
        created = add_identity(user=user, kind=identity.kind, value=identity.value)
        if created.kind == IdentityKind.EMAIL:
            auto_assign_by_email(user=user, email=created.normalized)
    duplicates.check_profile_after_commit(user.pk)
    return user
