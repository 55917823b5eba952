"""Read queries of the profile page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator

from organizations.models import Membership
from profiles.duplicates.lookalikes import Match, possible_duplicates
from profiles.identities import IdentityKind
from profiles.merges.selectors import merge_that_absorbed
from profiles.models import Contact, EndUser, Identity, MergeRecord

CONTACTS_PER_PAGE = 20


@dataclass
class ProfilePage:
    user: EndUser
    identities_by_kind: dict[str, list[Identity]]
    memberships: list[Membership]
    contacts: Page
    possible_duplicates: list[Match]
    merged_profiles: list[EndUser]
    survivor: EndUser | None
    merge_record: MergeRecord | None = None  # the merge that made this profile a tombstone
    merges: list[MergeRecord] = field(default_factory=list)  # merges into this profile, newest first

    @property
    def has_email(self) -> bool:
        return IdentityKind.EMAIL in self.identities_by_kind


def profile_page(user: EndUser, *, contacts_page: int | str = 1) -> ProfilePage:
    """Everything the profile page shows, in a fixed number of queries whatever the contact count."""
    identities = list(user.identities.order_by("kind", "-is_primary", "pk"))
    by_kind: dict[str, list[Identity]] = {}
    for identity in identities:
        by_kind.setdefault(identity.kind, []).append(identity)
    memberships = list(user.memberships.select_related("organization").order_by("-is_default", "organization__name"))
    # `route` is organizations' routing table (ContactRoute: the contact's team, its first routing and its last
    # change), read through its reverse relation name only: profiles sits below organizations and must not
    # import its routing code. Joined, so the timeline costs no query more.
    contacts = (
        Contact.objects.filter(requester=user)
        .select_related("via_identity", "route", "route__routed_by")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(contacts, CONTACTS_PER_PAGE).get_page(contacts_page)
    survivor = EndUser.objects.filter(pk=user.merged_into_id).first() if user.merged_into_id else None
    return ProfilePage(
        user=user,
        identities_by_kind=by_kind,
        memberships=memberships,
        contacts=page,
        possible_duplicates=possible_duplicates(user, identities, memberships),
        merged_profiles=list(EndUser.objects.filter(merged_into=user).order_by("pk")[:20]),
        survivor=survivor,
        merge_record=merge_that_absorbed(user) if survivor else None,
        merges=list(
            MergeRecord.objects.filter(survivor=user)
            .select_related("actor", "undone_by")
            .only("pk", "merged_ids", "created_at", "undone_at", "actor__username", "undone_by__username")
            .order_by("-created_at", "-pk")[:10]
        ),
    )
