"""API tokens: issue one (shown once, stored hashed), revoke, and authenticate a request's bearer token."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from zdusers.errors import TokenRefused, TokenRevoked
from zdusers.models import ApiToken

# Tokens look like "zdu_<43 url-safe characters>"; the marker makes a leaked one easy to grep for.
TOKEN_MARKER = "zdu_"
PREFIX_LENGTH = len(TOKEN_MARKER) + 8
# A busy connector authenticates many times a second: record its last use at most this often.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    """The SHA-256 of a token, as stored. A 256-bit random token needs no salt or slow hash."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_api_token(*, token: ApiToken, created_by: User | None) -> str:
    """Save the new, unsaved `token` with a fresh secret and return that secret.

    The returned string is the only copy: the database keeps its SHA-256 and its
    first characters (`prefix`), so show it to the person once and forget it.
    """
    if token.pk is not None:
        raise TokenRefused("This token already exists; its secret cannot be shown again. Create a new token.")
    raw = TOKEN_MARKER + secrets.token_urlsafe(32)
    token.prefix = raw[:PREFIX_LENGTH]
    token.hashed_key = hash_token(raw)
    token.created_by = created_by
    token.save()
    return raw


@transaction.atomic
def revoke_api_tokens(*, tokens: Iterable[ApiToken]) -> int:
    """Revoke the tokens not revoked yet (from now on they get HTTP 403); return how many were revoked."""
    ids = [token.pk for token in tokens]
    return ApiToken.objects.filter(pk__in=ids, revoked_at__isnull=True).update(revoked_at=timezone.now())


def authenticate_bearer(*, authorization: str | None) -> ApiToken:
    """The live token named by an `Authorization: Bearer <token>` header value.

    Raises TokenRefused (HTTP 401) for a missing header, another scheme or an
    unknown token, and TokenRevoked (HTTP 403) for a revoked one. Records the
    time of use (to the minute).
    """
    scheme, _, raw = (authorization or "").strip().partition(" ")
    raw = raw.strip()
    if not scheme:
        raise TokenRefused("Authentication is required: send the header `Authorization: Bearer <token>`.")
    if scheme.lower() != "bearer" or not raw:
        raise TokenRefused("The Authorization header must be `Bearer <token>`.")
    token = ApiToken.objects.filter(hashed_key=hash_token(raw)).first()
    if token is None:
        raise TokenRefused("This API token is not known; check it or ask an admin for a new one.")
    if token.revoked_at is not None:
        raise TokenRevoked(
            f"This API token ({token.prefix}…) was revoked on {token.revoked_at:%Y-%m-%d %H:%M} UTC; "
            "ask an admin for a new one."
        )
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
