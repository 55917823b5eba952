"""Domain errors: what a service refuses to do, in a sentence a person can act on."""

from __future__ import annotations

from zdusers.errors import DomainError


class ProfileError(DomainError):
    """Base class of every refusal raised by the profiles services."""


class InvalidIdentity(ProfileError):
    """A contact point (email, phone, handle) that cannot be normalized."""

    def __init__(self, kind: str, value: str, reason: str) -> None:
        self.kind = kind
        self.value = value
        self.reason = reason
        super().__init__(f"{value!r} is not a valid {kind}: {reason}.")


class IdentityTaken(ProfileError):
    """The contact point already belongs to another profile."""

    def __init__(self, kind: str, normalized: str, owner_id: int, owner_name: str, *, kind_value: str = "") -> None:
        self.kind = kind  # the label people read, e.g. "Email"
        self.kind_value = kind_value  # the Identity.Kind value, e.g. "email"
        self.normalized = normalized
        self.owner_id = owner_id
        self.owner_name = owner_name
        super().__init__(
            f"The {taken_label(kind, kind_value)} {normalized} already belongs to {owner_name} (#{owner_id})."
        )


def taken_label(kind: str, kind_value: str) -> str:
    """The words for a contact point of `kind_value` inside a sentence, lower case except for names:
    "email", "phone number", "WhatsApp number", "Instagram handle". Without a known kind value, `kind` as given.
    """
    from profiles.identities import IdentityKind, value_label  # profiles.identities imports this module

    if kind_value == IdentityKind.EMAIL:
        return "email"
    return value_label(kind_value) if kind_value in IdentityKind.values else kind


class ProfileMergedAway(ProfileError):
    """A write to a merged-away profile (a tombstone): its contact points and fields belong to its survivor."""

    def __init__(self, user_id: int, survivor_id: int) -> None:
        self.user_id = user_id
        self.survivor_id = survivor_id
        super().__init__(
            f"Profile #{user_id} was merged into #{survivor_id} and is kept read-only for its history; "
            f"change the surviving profile #{survivor_id} instead."
        )


class InvalidContact(ProfileError):
    """An inbound contact that cannot be recorded as given: one sentence per field at fault.

    `errors` is a list of (field, message) pairs; the field names are those of the
    inbound API payload (`channel`, `contact_point`, `identities[0].value`, ...).
    """

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__(" ".join(message for _, message in errors))


class MergeError(ProfileError):
    """A merge that cannot be done as asked (profiles.merges.services.merge)."""


class MergeIntoItself(MergeError):
    """The survivor is also listed among the profiles to merge away (or one is listed twice)."""


class MergeIntoTombstone(MergeError):
    """The chosen survivor was itself merged away."""


class TombstoneMerged(MergeError):
    """A profile to merge away is already a tombstone."""


class SuspendedNotConfirmed(MergeError):
    """A suspended profile takes part and the caller did not confirm it."""


class ConflictingExternalIds(MergeError):
    """The profiles have different external ids and the caller did not choose one."""


class MergeSizeInvalid(MergeError):
    """Fewer than 2 or more than 10 profiles at once."""


class InvalidFieldChoice(MergeError):
    """A field choice names an unknown field, a profile outside the merge or an organization none of them has."""


class UnmergeError(ProfileError):
    """A merge that cannot be undone exactly (profiles.merges.services.unmerge)."""


class MergeAlreadyUndone(UnmergeError):
    """The merge record was undone already."""


class SurvivorMergedSince(UnmergeError):
    """The survivor was merged into another profile later: that merge must be undone first."""


class CannotRestoreExactly(UnmergeError):
    """Something the merge moved was deleted or moved elsewhere since, so the profiles cannot be restored exactly."""
