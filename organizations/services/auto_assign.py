"""Email-domain auto-assignment: end users join the organization that owns their email domain.

`auto_assign_targets` is the one answer to "which organization does this email
auto-assign to"; intake and profile creation (`auto_assign_by_email`), the import
and the backfill when a domain starts auto-assigning all ask it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from organizations.models import Membership, OrganizationDomain
from organizations.services.memberships import save_membership
from profiles.freemail import shared_mail_kind
from profiles.models import EndUser


def auto_assign_targets(emails: Iterable[str]) -> dict[str, int]:
    """Which organization each of `emails` auto-assigns to: normalized email → organization id.

    `emails` are normalized addresses (`Identity.normalized`); repeats are fine. An
    email assigns when its domain (everything after the last "@", exactly: a
    subdomain is another domain) belongs to an organization with auto-assignment on.
    Free-mail and disposable domains (profiles.freemail) never assign, even if
    a row says so. Emails that assign nowhere are left out of the answer.

    Reads only: one query per 5,000 distinct domains (400 on SQLite), none when no
    domain could assign.
    """
    by_domain: dict[str, list[str]] = {}
    for email in emails:
        by_domain.setdefault(email.rpartition("@")[2], []).append(email)
    domains = sorted(domain for domain in by_domain if shared_mail_kind(domain) is None)
    size = 400 if connection.vendor == "sqlite" else 5_000
    owners: dict[str, int] = {}
    for start in range(0, len(domains), size):
        owners.update(
            OrganizationDomain.objects.filter(domain__in=domains[start : start + size], auto_assign=True).values_list(
                "domain", "organization_id"
            )
        )
    return {email: owners[domain] for domain, addresses in by_domain.items() if domain in owners for email in addresses}


@transaction.atomic
def auto_assign_by_email(*, user: EndUser, email: str) -> Membership | None:
    """Make `user` a member of the organization `email` auto-assigns to (`auto_assign_targets`), if any.

    `email` is a normalized address. Returns the membership (new or existing), or
    None when no auto-assigning domain matches. The first membership of a user
    becomes their default; an existing default is kept. Free-mail and disposable
    domains never assign.
    """
    organization_id = auto_assign_targets([email]).get(email)
    if organization_id is None:
        return None
    existing = Membership.objects.filter(user=user, organization_id=organization_id).first()
    if existing is not None:
        return existing
    return save_membership(membership=Membership(user=user, organization_id=organization_id), make_default=False)
