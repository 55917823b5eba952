"""Every workspace URL: anonymous visitors go to the login, staff without the permission get a 403."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from profiles.models import EndUser, Identity
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(db) -> list[tuple[str, str]]:
    user = EndUserFactory()
    identity = add_identity(user=user, kind="email", value="x@example.com")
    return [
        ("get", reverse("profiles:directory")),
        ("get", reverse("imports:export_selection")),
        ("get", reverse("intake:create")),
        ("post", reverse("intake:create")),
        ("get", reverse("intake:match")),
        ("post", reverse("profiles:bulk")),
        ("get", reverse("profiles:detail", args=[user.pk])),
        ("get", reverse("profiles:edit", args=[user.pk])),
        ("post", reverse("profiles:edit", args=[user.pk])),
        ("post", reverse("profiles:identity_add", args=[user.pk])),
        ("get", reverse("profiles:identity_edit", args=[user.pk, identity.pk])),
        ("post", reverse("profiles:identity_remove", args=[user.pk, identity.pk])),
        ("post", reverse("profiles:identity_primary", args=[user.pk, identity.pk])),
        ("get", reverse("profiles:duplicates")),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, urls):
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


def test_staff_without_the_permission_get_a_403_and_nothing_changes(urls):
    client = Client()
    client.force_login(User.objects.create_user("no-role", password="x", is_staff=True))
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 403, url
    assert Identity.objects.filter(normalized="x@example.com", is_primary=True).count() == 1
    assert EndUser.objects.count() == 1


def test_agents_can_open_every_page(agent_client, urls):
    for method, url in urls:
        if method == "get":
            assert agent_client.get(url).status_code == 200, url
