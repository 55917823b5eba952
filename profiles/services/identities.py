"""Writes to identities: add, save, remove, with the primary-per-kind rule kept for the caller."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from profiles.duplicates import services as duplicates
from profiles.errors import IdentityTaken, ProfileMergedAway
from profiles.identities import normalize
from profiles.models import EndUser, Identity
from profiles.selectors import identity_owner


@transaction.atomic
def add_identity(*, user: EndUser, kind: str, value: str, primary: bool = False, verified: bool = False) -> Identity:
    """Attach a new contact point to `user`.

    Raises InvalidIdentity when the value cannot be normalized and IdentityTaken
    (naming the owner) when another profile already has it. The first identity
    of a kind becomes the primary one.
    """
    identity = Identity(user=user, kind=kind, value=value.strip(), normalized=normalize(kind, value), verified=verified)
    return save_identity(identity=identity, make_primary=primary)


@transaction.atomic
def save_identity(*, identity: Identity, make_primary: bool) -> Identity:
    """Save a new or edited identity whose `normalized` key is already set.

    Guarantees: at most one primary per (user, kind) at every moment, and a kind
    that has identities always has a primary. Making one primary demotes the
    other. A key already owned elsewhere (even by a concurrent request) raises
    IdentityTaken instead of a database error.
    """
    _lock_live_owner(identity.user_id)
    siblings = Identity.objects.select_for_update().filter(user_id=identity.user_id, kind=identity.kind)
    if identity.pk:
        siblings = siblings.exclude(pk=identity.pk)
    sibling_list = list(siblings.order_by("pk"))
    if make_primary:
        demoted = [sibling.pk for sibling in sibling_list if sibling.is_primary]
        Identity.objects.filter(pk__in=demoted).update(is_primary=False)
        identity.is_primary = True
    else:
        identity.is_primary = not any(sibling.is_primary for sibling in sibling_list)
    try:
        with transaction.atomic():
            identity.save()
    except IntegrityError:
        owner = identity_owner(kind=identity.kind, normalized=identity.normalized, exclude_identity_id=identity.pk)
        if owner is None:
            raise
        raise IdentityTaken(
            identity.get_kind_display(), identity.normalized, owner.pk, owner.name, kind_value=identity.kind
        ) from None
    duplicates.check_profile_after_commit(identity.user_id)
    return identity


@transaction.atomic
def remove_identity(*, identity: Identity) -> None:
    """Delete an identity; when it was the primary, the oldest remaining one of its kind takes over.

    Contacts that came through it keep their requester; only their via-identity link is cleared.
    """
    _lock_live_owner(identity.user_id)
    was_primary = identity.is_primary
    user_id, kind = identity.user_id, identity.kind
    identity.delete()
    if was_primary:
        successor = Identity.objects.select_for_update().filter(user_id=user_id, kind=kind).order_by("pk").first()
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
    duplicates.check_profile_after_commit(user_id)


@transaction.atomic
def update_identity(*, identity: Identity, value: str, verified: bool) -> Identity:
    """Correct an identity's value (re-normalized, must stay free) or its verified flag.

    A changed value is no longer verified unless the caller says so again.
    """
    identity = Identity.objects.select_for_update().get(pk=identity.pk)
    normalized = normalize(identity.kind, value)
    if normalized != identity.normalized:
        owner = identity_owner(kind=identity.kind, normalized=normalized, exclude_identity_id=identity.pk)
        if owner is not None:
            raise IdentityTaken(identity.get_kind_display(), normalized, owner.pk, owner.name, kind_value=identity.kind)
    identity.value, identity.normalized, identity.verified = value.strip(), normalized, verified
    return save_identity(identity=identity, make_primary=identity.is_primary)


def _lock_live_owner(user_id: int) -> None:
    """Lock the profile an identity is written to (profile before identities, as merges lock) and refuse a
    tombstone: a merge moved its contact points to the survivor, and undoing the merge needs it as it was."""
    survivor_id = (
        EndUser.objects.select_for_update().filter(pk=user_id).values_list("merged_into_id", flat=True).first()
    )
    if survivor_id is not None:
        raise ProfileMergedAway(user_id, survivor_id)
