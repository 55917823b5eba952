"""API token services: a fresh secret per token, bearer authentication, use recorded to the minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ApiTokenFactory
from zdusers.errors import TokenRefused, TokenRevoked
from zdusers.models import ApiToken
from zdusers.services.api_tokens import authenticate_bearer, hash_token, issue_api_token, revoke_api_tokens

pytestmark = pytest.mark.django_db


def test_issuing_returns_the_only_copy_of_a_random_secret_and_stores_its_hash():
    token = ApiToken(name="SMS gateway")
    raw = issue_api_token(token=token, created_by=None)
    assert raw.startswith("zdu_") and len(raw) == 47
    token.refresh_from_db()
    assert (token.prefix, token.hashed_key) == (raw[:12], hash_token(raw))


def test_a_saved_token_cannot_be_issued_again():
    token = ApiTokenFactory()
    with pytest.raises(TokenRefused, match="its secret cannot be shown again"):
        issue_api_token(token=token, created_by=None)


def test_authentication_records_the_use_at_most_once_a_minute():
    token = ApiTokenFactory(raw="zdu_minute-0123456789")
    recent = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    authenticate_bearer(authorization="Bearer zdu_minute-0123456789")
    token.refresh_from_db()
    assert token.last_used_at == recent
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent - timedelta(minutes=1))
    authenticate_bearer(authorization="Bearer zdu_minute-0123456789")
    token.refresh_from_db()
    assert token.last_used_at > recent


def test_revoking_twice_keeps_the_first_time_and_counts_only_new_revocations():
    token = ApiTokenFactory(raw="zdu_revoke-0123456789")
    assert revoke_api_tokens(tokens=[token]) == 1
    assert revoke_api_tokens(tokens=[token]) == 0
    with pytest.raises(TokenRevoked) as caught:
        authenticate_bearer(authorization="Bearer zdu_revoke-0123456789")
    assert caught.value.status == 403


@pytest.mark.parametrize("header", [None, "", "Token abc", "Bearer ", "Bearer nope"])
def test_missing_malformed_and_unknown_tokens_are_refused_with_401(header):
    ApiTokenFactory()
    with pytest.raises(TokenRefused) as caught:
        authenticate_bearer(authorization=header)
    assert caught.value.status == 401
