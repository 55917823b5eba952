"""Email-domain auto-assignment: new end users join the organization that owns their email domain."""

from __future__ import annotations

from django.db import transaction

from organizations.models import Membership, OrganizationDomain
from organizations.services.memberships import save_membership
from profiles.freemail import shared_mail_kind
from profiles.models import EndUser


@transaction.atomic
def auto_assign_by_email(*, user: EndUser, email: str) -> Membership | None:
    """Make `user` a member of the organization owning `email`'s domain, if that domain auto-assigns.

    `email` is a normalized address. Returns the membership (new or existing), or
    None when no auto-assigning domain matches. The first membership of a user
    becomes their default; an existing default is kept. Free-mail and disposable
    domains (profiles.freemail) never assign, even if a row says so.
    """
    domain = email.rpartition("@")[2]
    if shared_mail_kind(domain) is not None:
        return None
    owner = OrganizationDomain.objects.filter(domain=domain, auto_assign=True).values_list("organization_id", flat=True)
    organization_id = owner.first()
    if organization_id is None:
        return None
    existing = Membership.objects.filter(user=user, organization_id=organization_id).first()
    if existing is not None:
        return existing
    return save_membership(membership=Membership(user=user, organization_id=organization_id), make_default=False)
