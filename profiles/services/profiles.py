"""Editing end-user profiles (they are created by intake: agents, channels, the API, imports)."""

from __future__ import annotations

from django.db import transaction

from profiles.duplicates import services as duplicates
from profiles.errors import ProfileError
from profiles.models import EndUser
from zdusers.tags import checked_tags
from zdusers.text import clean_name

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
        changes["tags"] = checked_tags(changes["tags"])
    if "name" in changes:
        changes["name"] = clean_name(changes["name"])
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
