"""Creating and editing end-user profiles."""

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


EDITABLE_FIELDS = ("name", "details", "notes", "locale", "time_zone", "tags", "external_id", "suspended")


@transaction.atomic
def update_profile(*, user: EndUser, **changes) -> EndUser:
    """Change a profile's own fields (not its identities or memberships).

    A merged-away profile is read-only: its survivor is where changes belong.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ProfileError(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.")
    user = EndUser.objects.select_for_update().get(pk=user.pk)
    if user.is_tombstone:
        raise ProfileError("This profile was merged into another one; edit the surviving profile instead.")
    if "tags" in changes:
        changes["tags"] = normalize_tags(changes["tags"])
    if "name" in changes:
        changes["name"] = " ".join(changes["name"].split())
        if not changes["name"]:
            raise ProfileError("A profile needs a name.")
    if "external_id" in changes:
        changes["external_id"] = (changes["external_id"] or "").strip() or None
        taken = EndUser.objects.filter(external_id=changes["external_id"]).exclude(pk=user.pk).first()
        if changes["external_id"] and taken:
            raise ProfileError(
                f"The external id {changes['external_id']} already belongs to {taken.name} (#{taken.pk})."
            )
    for field, value in changes.items():
        setattr(user, field, value)
    user.save()
    if {"name", "external_id"} & changes.keys():  # what matching looks at
        duplicates.check_profile_after_commit(user.pk)
    return user
