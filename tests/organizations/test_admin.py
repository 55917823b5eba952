"""Django admin for organizations: clear errors for names and domains that clash or are malformed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations.models import Membership, Organization, OrganizationDomain
from tests.factories import EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def organization_post_data(name: str, domains=()) -> dict:
    data = {
        "name": name,
        "details": "",
        "notes": "",
        "tags": "",
        "external_id": "",
        "domains-TOTAL_FORMS": str(len(domains)),
        "domains-INITIAL_FORMS": "0",
        "domains-MIN_NUM_FORMS": "0",
        "domains-MAX_NUM_FORMS": "1000",
    }
    for index, (domain, auto_assign) in enumerate(domains):
        data[f"domains-{index}-domain"] = domain
        if auto_assign:
            data[f"domains-{index}-auto_assign"] = "on"
    return data


def test_creating_an_organization_normalizes_its_domains(superuser_client):
    response = superuser_client.post(
        reverse("admin:organizations_organization_add"),
        organization_post_data("Acme", [("http://WWW.Acme.com/", True), ("@acme.com.br", False)]),
    )
    assert response.status_code == 302
    assert set(OrganizationDomain.objects.values_list("domain", "auto_assign")) == {
        ("acme.com", True),
        ("acme.com.br", False),
    }


def test_a_name_differing_only_in_case_is_refused(superuser_client):
    OrganizationFactory(name="Acme")
    response = superuser_client.post(reverse("admin:organizations_organization_add"), organization_post_data("ACME"))
    assert response.status_code == 200
    assert "An organization with this name already exists (names ignore case)." in response.content.decode()
    assert Organization.objects.count() == 1


def test_a_domain_owned_by_another_organization_names_it_and_nothing_is_saved(superuser_client):
    OrganizationDomain.objects.create(organization=OrganizationFactory(name="Globex"), domain="acme.com")
    response = superuser_client.post(
        reverse("admin:organizations_organization_add"), organization_post_data("Acme", [("Acme.com", False)])
    )
    assert response.status_code == 200
    assert "acme.com already belongs to the organization Globex." in response.content.decode()
    assert not Organization.objects.filter(name="Acme").exists()


def test_a_malformed_domain_gets_the_reason(superuser_client):
    response = superuser_client.post(
        reverse("admin:organizations_organization_add"), organization_post_data("Acme", [("acme", False)])
    )
    assert (
        "&#x27;acme&#x27; is not an email domain: it has no dot (write it like acme.com)." in response.content.decode()
    )
    assert not Organization.objects.exists()


def test_membership_admin_moves_the_default_instead_of_failing(superuser_client):
    user = EndUserFactory()
    first = MembershipFactory(user=user, is_default=True)
    other = OrganizationFactory(name="Second")
    response = superuser_client.post(
        reverse("admin:organizations_membership_add"),
        {"user": str(user.pk), "organization": str(other.pk), "default": "on"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert not first.is_default
    assert Membership.objects.get(organization=other).is_default


def test_the_organization_admin_lists_and_searches_by_domain(superuser_client):
    OrganizationDomain.objects.create(organization=OrganizationFactory(name="Acme"), domain="acme.com")
    OrganizationFactory(name="Globex")
    response = superuser_client.get(reverse("admin:organizations_organization_changelist"), {"q": "acme.com"})
    assert [o.name for o in response.context["cl"].result_list] == ["Acme"]
