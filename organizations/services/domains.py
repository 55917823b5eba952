"""Writes to organization domains: add, remove, and auto-assignment on or off (with a one-statement backfill)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import DateTimeField, Exists, IntegerField, OuterRef, Value
from django.utils import timezone

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
from organizations.selectors import endusers_with_email_domain
from profiles.freemail import shared_mail_kind


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
    OrganizationDomain.objects.filter(pk=domain.pk).delete()


@transaction.atomic
def set_auto_assign(*, domain: OrganizationDomain, enabled: bool, add_existing: bool = False) -> int:
    """Turn auto-assignment of `domain` on or off; returns how many existing end users were added.

    On: new profiles with an email at this domain join the organization from now
    on (organizations.services.auto_assign). With `add_existing`, every live end
    user who already has such an email and is not yet a member joins too, in one
    INSERT … SELECT; those without any organization get this one as their default,
    the others keep theirs. Free-mail and disposable domains are refused. Off:
    nobody is removed.
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
    """INSERT INTO membership SELECT … : every live end user with an email at `domain`, not yet a member.

    The SELECT is the same selector the preview counts with, so the number shown is
    the number added (unless profiles change in between). `is_default` is true for
    users who have no default membership, which keeps one default per user.
    """
    already_member = Membership.objects.filter(user_id=OuterRef("pk"), organization=organization)
    has_default = Membership.objects.filter(user_id=OuterRef("pk"), is_default=True)
    rows = (
        endusers_with_email_domain(domain)
        .filter(~Exists(already_member))
        .order_by()
        # values() lists model fields first, then annotations in the order annotated: the INSERT's column order.
        .annotate(
            _organization_id=Value(organization.pk, output_field=IntegerField()),
            _is_default=~Exists(has_default),
            _created_at=Value(timezone.now(), output_field=DateTimeField()),
        )
        .values("pk", "_organization_id", "_is_default", "_created_at")
    )
    select_sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(Membership._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(Membership._meta.get_field(name).column)
        for name in ("user", "organization", "is_default", "created_at")
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({columns}) {select_sql}", params)
            return cursor.rowcount
    except IntegrityError:
        # Someone gave one of these users a default or this membership in the same instant.
        raise MembershipsChanged() from None
