"""API tokens in the Django admin: the secret is shown once and stored hashed; revoking answers 403 from then on."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import reverse

from tests.factories import ApiTokenFactory
from zdusers.errors import TokenRevoked
from zdusers.models import ApiToken
from zdusers.services.api_tokens import authenticate_bearer

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:zdusers_apitoken_changelist")
ADD = reverse("admin:zdusers_apitoken_add")
TOKEN = re.compile(r"zdu_[A-Za-z0-9_-]{43}")


def test_creating_a_token_shows_the_secret_once_and_stores_only_its_hash_and_prefix(superuser_client):
    response = superuser_client.post(ADD, {"name": "WhatsApp connector"}, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"] if TOKEN.search(str(m))]
    assert len(shown) == 1
    assert "Copy it now: it is not stored and will not be shown again." in shown[0]
    raw = TOKEN.search(shown[0]).group()
    token = ApiToken.objects.get()
    assert token.hashed_key == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:12]
    assert token.created_by.username == "root"
    stored = ApiToken.objects.values_list().get()
    assert not any(raw in str(value) for value in stored)
    assert authenticate_bearer(authorization=f"Bearer {raw}") == token
    # Never again: not on the list, not on the token's page.
    for url in (CHANGELIST, reverse("admin:zdusers_apitoken_change", args=[token.pk])):
        page = superuser_client.get(url).content.decode()
        assert raw not in page and token.prefix in page


def test_two_tokens_never_share_a_secret(superuser_client):
    superuser_client.post(ADD, {"name": "one"})
    superuser_client.post(ADD, {"name": "two"})
    assert len(set(ApiToken.objects.values_list("hashed_key", flat=True))) == 2


def test_renaming_a_token_keeps_its_secret(superuser_client):
    token = ApiTokenFactory(raw="zdu_rename-me-0123456789", name="old")
    response = superuser_client.post(reverse("admin:zdusers_apitoken_change", args=[token.pk]), {"name": "new"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.name == "new"
    assert authenticate_bearer(authorization="Bearer zdu_rename-me-0123456789") == token


def test_an_empty_name_is_refused(superuser_client):
    response = superuser_client.post(ADD, {"name": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_list_shows_prefix_name_and_dates_and_offers_revoke_but_not_bulk_delete(superuser_client):
    ApiTokenFactory(raw="zdu_listed-0123456789", name="Instagram connector")
    response = superuser_client.get(CHANGELIST)
    page = response.content.decode()
    for text in ("zdu_listed-0…", "Instagram connector", "Created at", "Last used at", "Revoked at"):
        assert text in page
    actions = [value for value, _ in response.context["action_form"].fields["action"].choices]
    assert "revoke" in actions and "delete_selected" not in actions


def test_the_revoke_action_revokes_the_selected_tokens_and_they_answer_403(superuser_client):
    keep = ApiTokenFactory(raw="zdu_keep-0123456789")
    gone = ApiTokenFactory(raw="zdu_gone-0123456789")
    response = superuser_client.post(CHANGELIST, {"action": "revoke", "_selected_action": [gone.pk]}, follow=True)
    assert "Revoked 1 token(s); requests with them now get HTTP 403." in [str(m) for m in response.context["messages"]]
    gone.refresh_from_db()
    keep.refresh_from_db()
    assert gone.revoked_at is not None and keep.revoked_at is None
    with pytest.raises(TokenRevoked):
        authenticate_bearer(authorization="Bearer zdu_gone-0123456789")
    first_revocation = gone.revoked_at
    superuser_client.post(CHANGELIST, {"action": "revoke", "_selected_action": [gone.pk]})
    gone.refresh_from_db()
    assert gone.revoked_at == first_revocation


def test_staff_who_are_not_superusers_cannot_see_tokens(admin_client):
    assert admin_client.get(CHANGELIST).status_code == 403
