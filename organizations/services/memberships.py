"""Writes to memberships with the one-default-organization rule kept for the caller."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction

from organizations.errors import AlreadyMember, MembershipsChanged
from organizations.models import Membership, Organization
from profiles.errors import InvalidIdentity
from profiles.identities import IdentityKind, normalize_email
from profiles.models import EndUser, Identity
from profiles.services.bulk import lock_selection

# A pasted list longer than this is refused as a whole (the form says so): split it.
MAX_BULK_ENTRIES = 2000


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
def remove_membership(*, membership: Membership) -> Membership | None:
    """Remove a membership; when it was the default, the oldest remaining membership becomes the default.

    Returns that new default membership, or None when the default did not move
    (or the user has no organization left).
    """
    was_default = membership.is_default
    user_id = membership.user_id
    membership.delete()
    if not was_default:
        return None
    successor = Membership.objects.select_for_update().filter(user_id=user_id).order_by("pk").first()
    if successor is not None:
        successor.is_default = True
        successor.save(update_fields=["is_default"])
    return successor


@transaction.atomic
def add_member(*, organization: Organization, user: EndUser, make_default: bool = False) -> Membership:
    """Make `user` a member of `organization`; their first organization becomes their default.

    Raises AlreadyMember when they already are one.
    """
    EndUser.objects.select_for_update().filter(pk=user.pk).first()  # serializes first memberships of this user
    if Membership.objects.filter(user=user, organization=organization).exists():
        raise AlreadyMember(user.name, organization.name)
    return save_membership(membership=Membership(user=user, organization=organization), make_default=make_default)


@transaction.atomic
def add_members(*, organization: Organization, user_ids: list[int]) -> list[Membership]:
    """Make each live end user in `user_ids` a member, in one INSERT; returns the new memberships.

    Existing members are left alone; users with no default organization get this
    one as their default, the others keep theirs. All or nothing.
    """
    ids = list(
        EndUser.objects.select_for_update()
        .filter(pk__in=set(user_ids), merged_into__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    already = set(
        Membership.objects.filter(organization=organization, user_id__in=ids).values_list("user_id", flat=True)
    )
    with_default = set(Membership.objects.filter(user_id__in=ids, is_default=True).values_list("user_id", flat=True))
    new = [
        Membership(user_id=pk, organization=organization, is_default=pk not in with_default)
        for pk in ids
        if pk not in already
    ]
    try:
        with transaction.atomic():
            return Membership.objects.bulk_create(new)
    except IntegrityError:
        raise MembershipsChanged() from None


# --- Bulk add from a pasted list of email addresses ----------------------------------------------------


class BulkOutcome(models.TextChoices):
    ADDED = "added", "Added"
    ALREADY_MEMBER = "already_member", "Already a member"
    NO_PROFILE = "no_profile", "No such profile"
    INVALID = "invalid", "Invalid email"
    REPEATED = "repeated", "Listed twice"


@dataclass
class BulkLine:
    line: int  # 1-based line of the pasted text
    text: str  # the entry as pasted
    outcome: str = ""
    detail: str = ""
    user_id: int | None = None
    user_name: str = ""

    @property
    def outcome_label(self) -> str:
        return BulkOutcome(self.outcome).label


@dataclass
class BulkAddReport:
    lines: list[BulkLine] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def added(self) -> int:
        return self.count(BulkOutcome.ADDED)

    @property
    def summary(self) -> list[tuple[str, str, int]]:
        """(outcome, label, how many) for each outcome that occurred, in a fixed order."""
        return [(o.value, o.label, n) for o in BulkOutcome if (n := self.count(o.value))]


_SEPARATORS = re.compile(r"[,;\t]")
_ANGLE_ADDRESS = re.compile(r"<([^<>]*)>")


def parse_member_list(text: str) -> list[BulkLine]:
    """One entry per address: lines, or commas, semicolons or tabs within a line; blank entries skipped.

    `Ana Souza <ana@acme.com>` keeps the address between the angle brackets.
    """
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        for part in _SEPARATORS.split(line):
            part = part.strip()
            if part:
                entries.append(BulkLine(line=number, text=part))
    return entries


@transaction.atomic
def add_selection(*, organization: Organization, user_ids: list[int]) -> int:
    """Make each profile selected in the directory a member (see `add_members`); returns how many are new.

    The selection follows the directory's bulk rules (profiles.services.bulk.lock_selection):
    at least one, at most 500, live profiles only.
    """
    lock_selection(user_ids)
    return len(add_members(organization=organization, user_ids=user_ids))


@transaction.atomic
def add_members_by_email(*, organization: Organization, text: str) -> BulkAddReport:
    """Add the owners of the pasted email addresses as members; report every entry.

    Each entry ends as added, already a member, no such profile (no live profile
    owns the address), invalid email (with the reason) or listed twice (the same
    address or person earlier in the list). The valid ones are added together in
    one transaction (all or nothing); bad entries never stop good ones and write
    nothing. A bounded number of queries whatever the length.
    """
    report = BulkAddReport(lines=parse_member_list(text))
    addresses: dict[int, str] = {}  # index in report.lines → normalized address
    for index, entry in enumerate(report.lines):
        match = _ANGLE_ADDRESS.search(entry.text)
        try:
            addresses[index] = normalize_email(match.group(1) if match else entry.text)
        except InvalidIdentity as error:
            entry.outcome, entry.detail = BulkOutcome.INVALID, error.reason
    owners = {
        normalized: (user_id, name)
        for normalized, user_id, name in Identity.objects.filter(
            kind=IdentityKind.EMAIL, normalized__in=set(addresses.values()), user__merged_into__isnull=True
        ).values_list("normalized", "user_id", "user__name")
    }
    new = add_members(organization=organization, user_ids=[user_id for user_id, _ in owners.values()])
    added_now = {membership.user_id for membership in new}
    first_line_of_address: dict[str, int] = {}
    first_line_of_user: dict[int, int] = {}
    for index, address in addresses.items():
        entry = report.lines[index]
        if address in first_line_of_address:
            entry.outcome = BulkOutcome.REPEATED
            entry.detail = f"{address} is already on line {first_line_of_address[address]}"
            continue
        first_line_of_address[address] = entry.line
        if address not in owners:
            entry.outcome, entry.detail = BulkOutcome.NO_PROFILE, f"no profile has the email {address}"
            continue
        entry.user_id, entry.user_name = owners[address]
        if entry.user_id in first_line_of_user:
            entry.outcome = BulkOutcome.REPEATED
            entry.detail = f"{entry.user_name} is already on line {first_line_of_user[entry.user_id]}"
            continue
        first_line_of_user[entry.user_id] = entry.line
        entry.outcome = BulkOutcome.ADDED if entry.user_id in added_now else BulkOutcome.ALREADY_MEMBER
    return report
