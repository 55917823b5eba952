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

    def __init__(self, kind: str, normalized: str, owner_id: int, owner_name: str, *, kind_value: str = "") -> None:
        self.kind = kind  # the label people read, e.g. "Email"
        self.kind_value = kind_value  # the Identity.Kind value, e.g. "email"
        self.normalized = normalized
        self.owner_id = owner_id
        self.owner_name = owner_name
        label = kind.lower() if kind_value == "email" else kind  # "the email x", but "the WhatsApp x"
        super().__init__(f"The {label} {normalized} already belongs to {owner_name} (#{owner_id}).")


class InvalidContact(ProfileError):
    """An inbound contact that cannot be recorded as given: one sentence per field at fault.

    `errors` is a list of (field, message) pairs; the field names are those of the
    inbound API payload (`channel`, `contact_point`, `identities[0].value`, ...).
    """

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__(" ".join(message for _, message in errors))
