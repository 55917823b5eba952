"""Read queries for organizations: the list, an organization's members and contacts, previews of big writes.

Numbers shown per row of a list are computed for the rows of the page only
(`attach_row_counts` after pagination), never as annotations over every row an
OFFSET skips.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from organizations.domains import normalize_domain
from organizations.errors import InvalidDomain
from organizations.models import Membership, Organization, OrganizationDomain
from profiles.identities import IdentityKind
from profiles.models import Contact, EndUser, Identity
from profiles.selectors import enduser_search_q, with_primary_contact_points

RECENT_CONTACT_DAYS = 30


class ContactScope(models.TextChoices):
    """Which contacts count as an organization's.

    FILED: contacts filed under it (Contact.organization: the requester's default
    organization when the contact came in). History stays put when people join or
    leave, each contact counts for one organization, and the index on
    (organization, created_at) serves it. MEMBERS: every contact of its current
    members, whenever and wherever it was filed.
    """

    FILED = "filed", "Filed under this organization"
    MEMBERS = "members", "From its current members"


# --- The list ------------------------------------------------------------------------------------


def tag_q(tag: str) -> Q:
    """Organizations carrying `tag` (tags are stored normalized)."""
    if connection.vendor == "postgresql":
        return Q(tags__contains=[tag])  # jsonb @>
    return Q(tags__icontains=json.dumps(tag))  # SQLite stores the list as JSON text, non-ASCII escaped


def organization_search_q(text: str) -> Q:
    """Organizations whose name contains `text`, owning a domain containing it, or tagged with it."""
    text = " ".join(text.split())
    condition = Q(name__icontains=text)
    try:
        domain_text = normalize_domain(text)
    except InvalidDomain:
        domain_text = text.strip().lstrip("@").lower()
    if domain_text:
        condition |= Exists(
            OrganizationDomain.objects.filter(organization=OuterRef("pk"), domain__contains=domain_text)
        )
    tag = text.lower().lstrip("#")
    if tag and not any(ch.isspace() for ch in tag):
        condition |= tag_q(tag)
    return condition


def organization_list() -> QuerySet[Organization]:
    """Every organization with its domains; filters and sorting are applied on top (see filters.py)."""
    return Organization.objects.prefetch_related(
        models.Prefetch("domains", queryset=OrganizationDomain.objects.order_by("domain"))
    ).order_by(Lower("name"))


def attach_row_counts(organizations: Sequence[Organization], *, now: datetime | None = None) -> None:
    """Set `member_count` and `recent_contact_count` (filed in the last 30 days) on each organization given.

    Two grouped queries restricted to these ids: call it with one page of rows.
    """
    ids = [organization.pk for organization in organizations]
    since = (now or timezone.now()) - timedelta(days=RECENT_CONTACT_DAYS)
    members = dict(
        Membership.objects.filter(organization_id__in=ids)
        .values_list("organization_id")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("organization_id", "n")
    )
    contacts = dict(
        Contact.objects.filter(organization_id__in=ids, created_at__gte=since)
        .values_list("organization_id")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("organization_id", "n")
    )
    for organization in organizations:
        organization.member_count = members.get(organization.pk, 0)
        organization.recent_contact_count = contacts.get(organization.pk, 0)


# --- One organization ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganizationSummary:
    member_count: int
    default_count: int
    domains: list[OrganizationDomain]


def organization_summary(organization: Organization) -> OrganizationSummary:
    """The numbers every tab of an organization's page shows in its header (two queries)."""
    counts = Membership.objects.filter(organization=organization).aggregate(
        members=Count("*"), defaults=Count("pk", filter=Q(is_default=True))
    )
    return OrganizationSummary(
        member_count=counts["members"],
        default_count=counts["defaults"],
        domains=list(organization.domains.order_by("domain")),
    )


def members_of(organization: Organization) -> QuerySet[EndUser]:
    """The organization's members as end users, each with `membership_id`, `is_default_here`, `member_since`.

    Also carries their primary email and phone and, in `default_memberships`, their
    default membership with its organization (two more queries per page).
    """
    # Live profiles only (a merge moves memberships to the survivor): that lets PostgreSQL walk the
    # partial (name, id) index of live profiles for a big organization instead of sorting all its members.
    queryset = EndUser.objects.filter(memberships__organization=organization, merged_into__isnull=True).annotate(
        # The same join the filter made: one row per membership of this organization.
        membership_id=F("memberships__id"),
        is_default_here=F("memberships__is_default"),
        member_since=F("memberships__created_at"),
    )
    defaults = Membership.objects.filter(is_default=True).select_related("organization")
    return (
        with_primary_contact_points(queryset)
        .prefetch_related(models.Prefetch("memberships", queryset=defaults, to_attr="default_memberships"))
        .order_by("name", "id")
    )


def profiles_to_add(organization: Organization, text: str) -> QuerySet[EndUser]:
    """Live profiles matching `text` (name, email, phone, handle, external id), flagged `is_member`."""
    return with_primary_contact_points(
        EndUser.objects.filter(merged_into__isnull=True)
        .filter(enduser_search_q(text))
        .annotate(is_member=Exists(Membership.objects.filter(user=OuterRef("pk"), organization=organization)))
    ).order_by("name", "id")


def organization_contacts(organization: Organization, *, scope: str = ContactScope.FILED) -> QuerySet[Contact]:
    """The organization's contacts in `scope`, newest first, with requester and filing organization."""
    if scope == ContactScope.MEMBERS:
        queryset = Contact.objects.filter(
            requester_id__in=Membership.objects.filter(organization=organization).values("user_id")
        )
    else:
        queryset = Contact.objects.filter(organization=organization)
    # `route__team`: the team each contact is routed to (a left join on the contact's key), for the Team column.
    return queryset.select_related("requester", "organization", "route__team").order_by("-created_at", "-id")


def organization_named(name: str, *, exclude_pk: int | None = None) -> Organization | None:
    """The organization whose name equals `name` ignoring case (the unique index's own expression)."""
    return (
        Organization.objects.alias(lower_name=Lower("name"))
        .filter(lower_name=Lower(models.Value(name)))
        .exclude(pk=exclude_pk)
        .first()
    )


# --- Previews of big writes ------------------------------------------------------------------------


def endusers_with_email_domain(domain: str) -> QuerySet[EndUser]:
    """Live end users with at least one email address at `domain` (normalized)."""
    owners = Identity.objects.filter(kind=IdentityKind.EMAIL, normalized__endswith=f"@{domain}").values("user_id")
    return EndUser.objects.filter(merged_into__isnull=True, pk__in=owners)


@dataclass(frozen=True)
class AutoAssignPreview:
    with_domain: int  # live end users with an email at the domain
    already_members: int
    joining_as_default: int  # joining, with no organization before: this one becomes their default

    @property
    def joining(self) -> int:
        return self.with_domain - self.already_members


def auto_assign_preview(domain: OrganizationDomain) -> AutoAssignPreview:
    """How many existing end users turning auto-assign on (and adding them) would add; one query."""
    member_here = Exists(Membership.objects.filter(user_id=OuterRef("pk"), organization_id=domain.organization_id))
    has_default = Exists(Membership.objects.filter(user_id=OuterRef("pk"), is_default=True))
    counts = endusers_with_email_domain(domain.domain).aggregate(
        total=Count("pk"),
        members=Count("pk", filter=Q(member_here)),
        new_default=Count("pk", filter=~Q(member_here) & ~Q(has_default)),
    )
    return AutoAssignPreview(
        with_domain=counts["total"], already_members=counts["members"], joining_as_default=counts["new_default"]
    )


@dataclass(frozen=True)
class DeletionPreview:
    memberships: int
    defaults: int  # members for whom this was the default organization
    defaults_moving: int  # … of whom this many have another membership, which becomes their default
    contacts_filed: int
    domains: list[OrganizationDomain]

    @property
    def left_without_organization(self) -> int:
        return self.defaults - self.defaults_moving

    @property
    def auto_assigning(self) -> bool:
        return any(domain.auto_assign for domain in self.domains)


def deletion_preview(organization: Organization) -> DeletionPreview:
    """What deleting `organization` would change (services.organizations.delete_organization does it)."""
    elsewhere = Membership.objects.filter(user_id=OuterRef("user_id")).exclude(organization=organization)
    counts = Membership.objects.filter(organization=organization).aggregate(
        memberships=Count("*"),
        defaults=Count("pk", filter=Q(is_default=True)),
        moving=Count("pk", filter=Q(is_default=True) & Q(Exists(elsewhere))),
    )
    return DeletionPreview(
        memberships=counts["memberships"],
        defaults=counts["defaults"],
        defaults_moving=counts["moving"],
        contacts_filed=Contact.objects.filter(organization=organization).count(),
        domains=list(organization.domains.order_by("domain")),
    )
