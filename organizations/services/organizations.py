"""Create, update and delete organizations together with their domains."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Min

from organizations.errors import (
    DomainProblems,
    ExternalIdTaken,
    MembershipsChanged,
    OrganizationError,
    OrganizationNameMissing,
    OrganizationNameTaken,
    OrganizationProblems,
)
from organizations.models import Membership, Organization, OrganizationDomain
from organizations.routing import rules as routing_rules
from organizations.selectors import organization_named
from organizations.services.domains import clean_domains
from profiles.models import Contact
from zdusers.tags import checked_tags
from zdusers.text import clean_name

# Users whose default moves are handled in batches of this many ids (SQLite caps query parameters).
_BATCH = 500


@transaction.atomic
def create_organization(
    *,
    name: str,
    details: str = "",
    notes: str = "",
    tags: str | Iterable[str] = (),
    external_id: str | None = None,
    domains: Iterable[str] = (),
) -> Organization:
    """Create an organization and its domains (without auto-assignment), or nothing.

    Names are unique ignoring case; a clash raises OrganizationNameTaken naming the
    existing organization. Everything refused is reported at once: one error, or
    OrganizationProblems listing each (a name clash and every bad domain).
    """
    routing_rules.changed()  # its tags and domains may be what a routing rule matches
    organization = Organization(details=details.strip(), notes=notes.strip(), tags=checked_tags(tags))
    cleaned = _checked(organization, name=name, external_id=external_id, domains=domains)
    _save(organization)
    OrganizationDomain.objects.bulk_create(
        [OrganizationDomain(organization=organization, domain=domain) for domain in cleaned]
    )
    return organization


@transaction.atomic
def update_organization(
    *,
    organization: Organization,
    name: str,
    details: str = "",
    notes: str = "",
    tags: str | Iterable[str] = (),
    external_id: str | None = None,
    domains: Iterable[str] | None = None,
) -> Organization:
    """Change an organization's fields; with `domains`, make its domains exactly those (or change nothing).

    Kept domains keep their auto-assign setting; new ones start without it;
    removed ones stop auto-assigning (their members stay members).
    """
    routing_rules.changed()  # its tags and domains may be what a routing rule matches
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    wanted = _checked(organization, name=name, external_id=external_id, domains=domains)
    organization.details = details.strip()
    organization.notes = notes.strip()
    organization.tags = checked_tags(tags)
    if wanted is not None:
        organization.domains.exclude(domain__in=wanted).delete()
        have = set(organization.domains.values_list("domain", flat=True))
        OrganizationDomain.objects.bulk_create(
            [OrganizationDomain(organization=organization, domain=domain) for domain in wanted if domain not in have]
        )
    _save(organization)
    return organization


@dataclass(frozen=True)
class OrganizationDeletion:
    name: str
    memberships_removed: int
    defaults_moved: int  # members who had it as default and now have another one
    left_without_organization: int  # members who had it as default and no other organization
    contacts_unfiled: int  # contacts that keep their history, now filed under no organization


@transaction.atomic
def delete_organization(*, organization: Organization) -> OrganizationDeletion:
    """Delete an organization, its domains and memberships. No end user and no contact is deleted.

    Members whose default it was get their oldest remaining membership as default
    (the rule of services.memberships.remove_membership); contacts filed under it
    keep everything but the filing (Contact.organization becomes empty).
    """
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    memberships = Membership.objects.filter(organization=organization)
    default_user_ids = list(memberships.filter(is_default=True).order_by().values_list("user_id", flat=True))
    contacts_unfiled = Contact.objects.filter(organization=organization).update(organization=None)
    removed, _ = memberships.delete()
    moved = 0
    try:
        with transaction.atomic():
            for start in range(0, len(default_user_ids), _BATCH):
                batch = default_user_ids[start : start + _BATCH]
                oldest = Membership.objects.filter(user_id__in=batch).values("user_id").annotate(first=Min("pk"))
                moved += Membership.objects.filter(pk__in=oldest.values("first")).update(is_default=True)
    except IntegrityError:
        raise MembershipsChanged() from None
    name = organization.name
    organization.delete()
    return OrganizationDeletion(
        name=name,
        memberships_removed=removed,
        defaults_moved=moved,
        left_without_organization=len(default_user_ids) - moved,
        contacts_unfiled=contacts_unfiled,
    )


def _checked(
    organization: Organization, *, name: str, external_id: str | None, domains: Iterable[str] | None
) -> list[str] | None:
    """Set name and external id and clean the domains, or raise every problem found at once."""
    problems: list[OrganizationError] = []
    try:
        _set_identity_fields(organization, name=name, external_id=external_id)
    except OrganizationProblems as error:
        problems.extend(error.problems)
    except OrganizationError as error:
        problems.append(error)
    cleaned = None
    if domains is not None:
        try:
            cleaned = clean_domains(domains, organization_id=organization.pk)
        except DomainProblems as error:
            problems.append(error)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise OrganizationProblems(problems)
    return cleaned


def _set_identity_fields(organization: Organization, *, name: str, external_id: str | None) -> None:
    """Name (spaces collapsed) and external id (blank = none), refused when another organization has them."""
    problems: list[OrganizationError] = []
    name = clean_name(name)
    external_id = (external_id or "").strip() or None
    clash = organization_named(name, exclude_pk=organization.pk) if name else None
    if not name:
        problems.append(OrganizationNameMissing())
    elif clash is not None:
        problems.append(OrganizationNameTaken(name, clash.pk, clash.name))
    if external_id is not None:
        owner = Organization.objects.filter(external_id=external_id).exclude(pk=organization.pk).first()
        if owner is not None:
            problems.append(ExternalIdTaken(external_id, owner.pk, owner.name))
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise OrganizationProblems(problems)
    organization.name = name
    organization.external_id = external_id


def _save(organization: Organization) -> None:
    """Save; a name or external id taken by a concurrent request raises the same error as a plain clash."""
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError:
        # Raises the clash now visible; a different integrity error goes up unchanged.
        _set_identity_fields(organization, name=organization.name, external_id=organization.external_id)
        raise
