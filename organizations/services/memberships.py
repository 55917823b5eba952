"""Writes to memberships with the one-default-organization rule kept for the caller."""

from __future__ import annotations

from django.db import transaction

from organizations.models import Membership


@transaction.atomic
def save_membership(*, membership: Membership, make_default: bool) -> Membership:
    """Save a new or edited membership.

    Guarantees: a user with memberships has exactly one default at every moment.
    Making one the default demotes the previous default; the first membership is
    the default whatever was asked.
    """
    others = Membership.objects.select_for_update().filter(user_id=membership.user_id)
    if membership.pk:
        others = others.exclude(pk=membership.pk)
    other_list = list(others.order_by("pk"))
    if make_default:
        Membership.objects.filter(pk__in=[m.pk for m in other_list if m.is_default]).update(is_default=False)
        membership.is_default = True
    else:
        membership.is_default = not any(m.is_default for m in other_list)
    membership.save()
    return membership


@transaction.atomic
def remove_membership(*, membership: Membership) -> None:
    """Remove a membership; when it was the default, the oldest remaining membership becomes the default."""
    was_default = membership.is_default
    user_id = membership.user_id
    membership.delete()
    if was_default:
        successor = Membership.objects.select_for_update().filter(user_id=user_id).order_by("pk").first()
        if successor is not None:
            successor.is_default = True
            successor.save(update_fields=["is_default"])
