"""Bulk actions on profiles selected in the directory: set-based, all or nothing."""

from __future__ import annotations

from django.db import transaction

from profiles.errors import ProfileError
from profiles.models import EndUser
from zdusers.tags import normalize_tags

MAX_SELECTION = 500


def lock_selection(user_ids: list[int]) -> list[EndUser]:
    """The live profiles among `user_ids`, locked in id order; refuses an empty, oversized or vanished selection."""
    if not user_ids:
        raise ProfileError("Select at least one profile first.")
    if len(user_ids) > MAX_SELECTION:
        raise ProfileError(f"Select at most {MAX_SELECTION} profiles at a time.")
    users = list(EndUser.objects.select_for_update().filter(pk__in=user_ids, merged_into__isnull=True).order_by("pk"))
    if not users:
        raise ProfileError("None of the selected profiles exists any more.")
    return users


@transaction.atomic
def add_tag(*, user_ids: list[int], tag: str) -> int:
    """Add `tag` to each selected live profile; returns how many changed."""
    wanted = normalize_tags(tag)
    if len(wanted) != 1:
        raise ProfileError("Type one tag (a single word), like vip.")
    changed = [u for u in lock_selection(user_ids) if wanted[0] not in u.tags]
    for user in changed:
        user.tags = sorted({*user.tags, wanted[0]})
    EndUser.objects.bulk_update(changed, ["tags"])
    return len(changed)


@transaction.atomic
def remove_tag(*, user_ids: list[int], tag: str) -> int:
    """Remove `tag` from each selected live profile; returns how many changed."""
    wanted = normalize_tags(tag)
    if len(wanted) != 1:
        raise ProfileError("Type one tag (a single word), like vip.")
    changed = [u for u in lock_selection(user_ids) if wanted[0] in u.tags]
    for user in changed:
        user.tags = [t for t in user.tags if t != wanted[0]]
    EndUser.objects.bulk_update(changed, ["tags"])
    return len(changed)
