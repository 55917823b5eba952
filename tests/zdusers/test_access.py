"""Every page is for signed-in staff; roles carry exactly their permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from zdusers.roles import ADMIN_PERMISSIONS, ADMINS, AGENT_PERMISSIONS, AGENTS

pytestmark = pytest.mark.django_db


def app_urls_without_arguments() -> list[str]:
    """Every page of our own apps that takes no URL argument (the admin guards itself)."""
    urls = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and not pattern.pattern.converters:
                urls.append("/" + prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns)
    return urls


# The language chooser is on the login page too: it only sets a cookie and redirects (tests/zdusers/test_i18n.py).
PUBLIC = {"/login/", "/i18n/setlang/"}
# Integrations authenticate with a bearer token instead of a login (tests/profiles/test_api_inbound.py).
TOKEN_AUTHENTICATED = {"/api/inbound/"}


def test_the_url_list_covers_the_pages():
    assert {"/", "/users/", "/organizations/", "/duplicates/", "/login/", "/logout/"} <= set(
        app_urls_without_arguments()
    )


@pytest.mark.parametrize("url", sorted(set(app_urls_without_arguments()) - PUBLIC - TOKEN_AUTHENTICATED))
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("url", sorted(set(app_urls_without_arguments()) - PUBLIC - TOKEN_AUTHENTICATED - {"/logout/"}))
def test_signed_in_non_staff_accounts_are_refused(url):
    client = Client()
    client.force_login(User.objects.create_user("customer", password="x"))
    response = client.get(url)
    assert response.status_code == 403
    assert "for support staff only" in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/users/", "/organizations/", "/duplicates/"])
def test_agents_can_open_the_main_pages(agent_client, url):
    assert agent_client.get(url).status_code == 200


def test_staff_without_a_role_cannot_open_the_directory():
    client = Client()
    client.force_login(User.objects.create_user("newcomer", password="x", is_staff=True))
    assert client.get("/users/").status_code == 403


def test_the_login_page_is_public_and_logs_in_staff(client, agent):
    assert client.get("/login/").status_code == 200
    response = client.post("/login/", {"username": "agent", "password": "correct horse battery staple"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_wrong_password_says_so_and_does_not_log_in(client, agent):
    response = client.post("/login/", {"username": "agent", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert client.get("/").status_code == 302


def test_logout_is_post_only(agent_client):
    assert agent_client.get("/logout/").status_code == 405
    assert agent_client.post("/logout/").status_code == 302
    assert agent_client.get("/").status_code == 302


def test_the_admin_sends_anonymous_visitors_to_its_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _codenames(group_name: str) -> set[tuple[str, str]]:
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_the_roles_migration_gives_each_group_exactly_its_permissions():
    assert _codenames(AGENTS) == set(AGENT_PERMISSIONS)
    assert _codenames(ADMINS) == set(ADMIN_PERMISSIONS)


def test_agents_merge_but_only_admins_unmerge_import_and_manage_organizations(agent, admin_user):
    assert agent.has_perm("profiles.merge_enduser")
    for permission in ("profiles.unmerge_enduser", "profiles.import_endusers", "organizations.manage_organizations"):
        assert not agent.has_perm(permission)
        assert admin_user.has_perm(permission)
