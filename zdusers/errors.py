"""Refusals of the project-level services (API tokens)."""

from __future__ import annotations

from profiles.errors import ProfileError


class TokenRefused(ProfileError):
    """A request to `/api/` whose token is missing, unknown (HTTP 401) or revoked (HTTP 403)."""

    status = 401


class TokenRevoked(TokenRefused):
    status = 403
