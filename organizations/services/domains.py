"""Writes to organization domains: add, remove, and auto-assignment on or off (with a set-based backfill)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from organizations.domains import normalize_domain
from organizations.errors import (
    DomainProblems,
    DomainTaken,
    InvalidDomain,
    MembershipsChanged,
    OrganizationError,
    SharedMailDomain,
)
from organizations.models import Membership, Organization, OrganizationDomain
from organizations.routing import rules as routing_rules
from organizations.selectors import endusers_with_email_domain
from organizations.services.auto_assign import auto_assign_targets
from profiles.freemail import shared_mail_kind
from profiles.identities import IdentityKind
from profiles.models import Identity


def clean_domain(value: str, *, organization_id: int | None) -> str:
    """The normalized form of `value`, if `organization_id` (None: a new organization) may own it.

    Raises InvalidDomain (malformed), SharedMailDomain (gmail.com, yahoo.com.br,
    mailinator.com… belong to no organization) or DomainTaken naming the owner.
    """
    domain = normalize_domain(value)
    kind = shared_mail_kind(domain)
    if kind is not None:
        raise SharedMailDomain(domain, kind)
    owner = (
        OrganizationDomain.objects.filter(domain=domain)
        .exclude(organization_id=organization_id)
        .values_list("organization_id", "organization__name")
        .first()
    )
    if owner is not None:
        raise DomainTaken(domain, *owner)
    return domain


def clean_domains(values: Iterable[str], *, organization_id: int | None) -> list[str]:
    """Every value normalized (repeats dropped, order kept), or DomainProblems listing each refusal.

    Blank values are ignored. Reads only: callers write inside their own transaction.
    """
    cleaned: list[str] = []
    problems: list[OrganizationError] = []
    for value in values:
        if not value.strip():
            continue
        try:
            domain = normalize_domain(value)
            kind = shared_mail_kind(domain)
            if kind is not None:
                raise SharedMailDomain(domain, kind)
        except (InvalidDomain, SharedMailDomain) as error:
            problems.append(error)
            continue
        if domain not in cleaned:
            cleaned.append(domain)
    owners = (
        OrganizationDomain.objects.filter(domain__in=cleaned)
        .exclude(organization_id=organization_id)
        .values_list("domain", "organization_id", "organization__name")
        .order_by("domain")
    )
    problems.extend(DomainTaken(domain, owner_id, owner_name) for domain, owner_id, owner_name in owners)
    if problems:
        raise DomainProblems(problems)
    return cleaned


@transaction.atomic
def add_domain(*, organization: Organization, domain: str) -> OrganizationDomain:
    """Give `organization` the email domain `domain` (written any way: "@Acme.com", "http://acme.com/").

    The domain starts without auto-assignment; turn that on with set_auto_assign,
    which offers to add the people already using it. Raises InvalidDomain,
    SharedMailDomain or DomainTaken (naming the owner, even one that took it a
    moment ago).
    """
    normalized = clean_domain(domain, organization_id=organization.pk)
    routing_rules.changed()  # a routing rule may match this domain
    existing = organization.domains.filter(domain=normalized).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return OrganizationDomain.objects.create(organization=organization, domain=normalized)
    except IntegrityError:
        clean_domain(normalized, organization_id=organization.pk)  # raises DomainTaken for a concurrent owner
        raise


@transaction.atomic
def remove_domain(*, domain: OrganizationDomain) -> None:
    """Remove the domain from its organization. Members who joined through it stay members."""
    routing_rules.changed()  # a routing rule may have matched this domain
    OrganizationDomain.objects.filter(pk=domain.pk).delete()


@transaction.atomic
def set_auto_assign(*, domain: OrganizationDomain, enabled: bool, add_existing: bool = False) -> int:
    """Turn auto-assignment of `domain` on or off; returns how many existing end users were added.

    On: new profiles with an email at this domain join the organization from now
    on (organizations.services.auto_assign). With `add_existing`, every live end
    user who already has such an email and is not yet a member joins too, set-based
    (`auto_assign_targets` decides, as for new profiles); those without any
    organization get this one as their default, the others keep theirs. Free-mail
    and disposable domains are refused. Off: nobody is removed.
    """
    locked = OrganizationDomain.objects.select_for_update().select_related("organization").get(pk=domain.pk)
    if enabled:
        kind = shared_mail_kind(locked.domain)
        if kind is not None:
            raise SharedMailDomain(locked.domain, kind)
    locked.auto_assign = enabled
    locked.save(update_fields=["auto_assign"])
    domain.auto_assign = enabled
    if not (enabled and add_existing):
        return 0
    return _add_existing_users(organization=locked.organization, domain=locked.domain)


def _add_existing_users(*, organization: Organization, domain: str) -> int:
    """Every live end user with an email at `domain` that auto-assigns to `organization`, not yet a member, joins.

    The candidates are the selector the preview counts with, so the number shown is
    the number added (unless profiles change in between); which of their emails
    assign where is `auto_assign_targets`' answer. `is_default` is true for users who
    have no default membership, which keeps one default per user. One read of the
    candidates' emails, one of the domains, one INSERT on PostgreSQL (SQLite's
    bulk_create splits it by its parameter limit).
    """
    already_member = Membership.objects.filter(user_id=OuterRef("user_id"), organization=organization)
    has_default = Membership.objects.filter(user_id=OuterRef("user_id"), is_default=True)
    emails = (
        Identity.objects.filter(
            kind=IdentityKind.EMAIL,
            normalized__endswith=f"@{domain}",
            user__in=endusers_with_email_domain(domain),
        )
        .filter(~Exists(already_member))
        .annotate(has_default=Exists(has_default))
        .values_list("user_id", "normalized", "has_default")
    )
    emails = list(emails)
    targets = auto_assign_targets(email for _, email, _ in emails)
    joining = {
        user_id: not has_default for user_id, email, has_default in emails if targets.get(email) == organization.pk
    }
    try:
        Membership.objects.bulk_create(
            Membership(user_id=user_id, organization=organization, is_default=default)
            for user_id, default in sorted(joining.items())
        )
    except IntegrityError:
        # Someone gave one of these users a default or this membership in the same instant.
        raise MembershipsChanged() from None
    return len(joining)
