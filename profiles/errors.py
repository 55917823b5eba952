"""Domain errors: what a service refuses to do, in a sentence a person can act on."""

from __future__ import annotations


class ProfileError(Exception):
    """Base class of every refusal raised by the profiles services."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidIdentity(ProfileError):
    """A contact point (email, phone, handle) that cannot be normalized."""

    def __init__(self, kind: str, value: str, reason: str) -> None:
        self.kind = kind
        self.value = value
        self.reason = reason
        super().__init__(f"{value!r} is not a valid {kind}: {reason}.")


class IdentityTaken(ProfileError):
    """The contact point already belongs to another profile."""

    def __init__(self, kind: str, normalized: str, owner_id: int, owner_name: str) -> None:
        self.kind = kind
        self.normalized = normalized
        self.owner_id = owner_id
        self.owner_name = owner_name
        super().__init__(f"The {kind} {normalized} already belongs to {owner_name} (#{owner_id}).")
