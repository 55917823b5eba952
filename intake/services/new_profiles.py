"""A profile created by an agent: its contact points, and its organization when the email's domain auto-assigns."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from organizations.services.auto_assign import auto_assign_by_email
from profiles.duplicates import services as duplicates
from profiles.errors import IdentityTaken, ProfileError
from profiles.identities import PHONE_KINDS, IdentityKind, normalize
from profiles.models import EndUser, EndUserSource, Identity
from profiles.services.identities import add_identity
from zdusers.tags import checked_tags
from zdusers.text import clean_name

# More hops than any real chain of merges.
_MAX_MERGE_HOPS = 20


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
    one_profile_per_line: bool = False,
) -> EndUser:
    """Create a profile with its contact points, all or nothing.

    Each identity is normalized and must be free (IdentityTaken names the owner
    otherwise, and nothing is saved). With `one_profile_per_line`, as the agents'
    pages create profiles, a number is taken too when another profile has it as
    the other phone kind (phone and WhatsApp share one key: what match-on-create
    shows as taken). Without it a profile may share a line with another under the
    other kind, as a family's phone can (duplicate detection weighs that). A new
    profile whose email domain auto-assigns joins that organization.
    """
    name = clean_name(name)
    if not name:
        raise ProfileError("A profile needs a name; use the email or phone if you don't know it.")
    for identity in identities if one_profile_per_line else ():
        _refuse_if_taken(identity)
    user = EndUser.objects.create(name=name, source=source, details=details, notes=notes, tags=checked_tags(tags))
    for identity in identities:
        created = add_identity(user=user, kind=identity.kind, value=identity.value)
        if created.kind == IdentityKind.EMAIL:
            auto_assign_by_email(user=user, email=created.normalized)
    duplicates.check_profile_after_commit(user.pk)
    return user


def _refuse_if_taken(identity: NewIdentity) -> None:
    """IdentityTaken naming the live profile that holds this contact point (a phone number also as WhatsApp)."""
    normalized = normalize(identity.kind, identity.value)
    kinds = PHONE_KINDS if identity.kind in PHONE_KINDS else {identity.kind}
    taken = Identity.objects.filter(kind__in=list(kinds), normalized=normalized).select_related("user").first()
    if taken is None:
        return
    owner = taken.user
    for _ in range(_MAX_MERGE_HOPS):  # a merged-away holder: name the profile it lives on in
        if owner.merged_into_id is None:
            break
        owner = EndUser.objects.get(pk=owner.merged_into_id)
    raise IdentityTaken(IdentityKind(identity.kind).label, normalized, owner.pk, owner.name, kind_value=identity.kind)
