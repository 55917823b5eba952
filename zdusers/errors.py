"""The root of every refusal in zdusers, and the project-level ones (API tokens).

Every app's errors derive from `DomainError`, so a view, the API or a command can
catch one class and show its sentence, whichever app's service refused.
"""

from __future__ import annotations


class DomainError(Exception):
    """A service refused to do something, in a sentence a person can act on (`message`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class TokenRefused(DomainError):
    """A request to `/api/` whose token is missing, unknown (HTTP 401) or revoked (HTTP 403)."""

    status = 401


class TokenRevoked(TokenRefused):
    status = 403
