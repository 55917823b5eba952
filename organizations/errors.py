"""Domain errors of the organizations app."""

from __future__ import annotations

from profiles.errors import ProfileError


class OrganizationError(ProfileError):
    """A refusal about organizations, domains or memberships, in a sentence a person can act on."""


class InvalidDomain(OrganizationError):
    def __init__(self, value: str, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"{value!r} is not an email domain: {reason}.")
