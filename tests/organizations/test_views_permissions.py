"""Every organization URL and action: agents read, admins write, anonymous visitors log in first.

Write actions refused to an agent change nothing; POST-only URLs answer GET with 405.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from organizations.models import Membership, Organization, OrganizationDomain
from tests.factories import EndUserFactory, MembershipFactory, OrganizationFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(db):
    organization = OrganizationFactory(name="Acme")
    domain = OrganizationDomain.objects.create(organization=organization, domain="acme.com")
    membership = MembershipFactory(organization=organization, is_default=True)
    return {"organization": organization, "domain": domain, "membership": membership, "user": EndUserFactory()}


def url(name: str, rows) -> str:
    pk = rows["organization"].pk
    args = {
        "list": [],
        "create": [],
        "remove_domain": [pk, rows["domain"].pk],
        "auto_assign": [pk, rows["domain"].pk],
        "remove_member": [pk, rows["membership"].pk],
        "make_default": [pk, rows["membership"].pk],
    }.get(name, [pk])
    return reverse(f"organizations:{name}", args=args)


READ_PAGES = ["list", "detail", "contacts", "report", "report_csv", "domains"]
ADMIN_PAGES = ["create", "edit", "delete", "add_members", "auto_assign"]  # GET shows a form or a confirmation
POST_ONLY = ["add_domain", "remove_domain", "add_member", "remove_member", "make_default"]
WRITES = ["create", "edit", "delete", "add_members", "auto_assign", *POST_ONLY]


def post_data(name: str, rows) -> dict:
    return {
        "create": {"name": "Globex"},
        "edit": {"name": "Renamed"},
        "add_members": {"emails": "someone@acme.com"},
        "auto_assign": {"enable": "1", "add_existing": "on"},
        "add_domain": {"domain": "acme.com.br"},
        "add_member": {"user": rows["user"].pk},
    }.get(name, {})


def snapshot() -> tuple:
    return (
        sorted(Organization.objects.values_list("name", flat=True)),
        sorted(OrganizationDomain.objects.values_list("domain", "auto_assign")),
        sorted(Membership.objects.values_list("user_id", "organization_id", "is_default")),
    )


@pytest.mark.parametrize("name", READ_PAGES + ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, rows, name):
    target = url(name, rows)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("name", WRITES)
def test_anonymous_writes_are_sent_to_the_login_page_and_change_nothing(client, rows, name):
    before = snapshot()
    response = client.post(url(name, rows), post_data(name, rows))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert snapshot() == before


@pytest.mark.parametrize("name", READ_PAGES)
def test_agents_read_every_page(agent_client, rows, name):
    assert agent_client.get(url(name, rows)).status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_agents_cannot_open_admin_pages(agent_client, rows, name):
    assert agent_client.get(url(name, rows)).status_code == 403


@pytest.mark.parametrize("name", WRITES)
def test_agents_cannot_write_and_nothing_changes(agent_client, rows, name):
    before = snapshot()
    assert agent_client.post(url(name, rows), post_data(name, rows)).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", READ_PAGES + ADMIN_PAGES)
def test_admins_open_every_page(admin_client, rows, name):
    assert admin_client.get(url(name, rows)).status_code == 200


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_urls_answer_get_with_405(admin_client, rows, name):
    before = snapshot()
    assert admin_client.get(url(name, rows)).status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize("name", READ_PAGES)
def test_signed_in_non_staff_are_refused(rows, name):
    client = Client()
    client.force_login(StaffUserFactory(is_staff=False))
    assert client.get(url(name, rows)).status_code == 403


def test_staff_without_a_role_get_403_not_a_login_loop(rows):
    client = Client()
    client.force_login(StaffUserFactory())
    assert client.get(url("list", rows)).status_code == 403


@pytest.mark.parametrize("name", ["detail", "edit", "report"])
def test_an_organization_that_does_not_exist_is_404(admin_client, name):
    assert admin_client.get(reverse(f"organizations:{name}", args=[999999])).status_code == 404


def test_a_membership_of_another_organization_is_404(admin_client, rows):
    other = MembershipFactory(organization=OrganizationFactory(name="Other"))
    target = reverse("organizations:remove_member", args=[rows["organization"].pk, other.pk])
    assert admin_client.post(target).status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_urls_answer_get_with_405_before_asking_who_it_is(agent_client, rows, name):
    # As everywhere in zdusers (@require_POST outside @permission_required): the method is checked first.
    before = snapshot()
    assert agent_client.get(url(name, rows)).status_code == 405
    assert snapshot() == before
