"""New end users join the organization whose auto-assigning domain matches their email."""

from __future__ import annotations

import pytest

from organizations.models import Membership, OrganizationDomain
from organizations.services.auto_assign import auto_assign_by_email, auto_assign_targets
from tests.factories import EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_user_joins_the_organization_owning_an_auto_assigning_domain_as_default():
    acme = OrganizationFactory(name="Acme")
    OrganizationDomain.objects.create(organization=acme, domain="acme.com", auto_assign=True)
    user = EndUserFactory()
    membership = auto_assign_by_email(user=user, email="ana@acme.com")
    assert membership.organization == acme and membership.is_default


def test_a_domain_without_auto_assign_assigns_nothing():
    OrganizationDomain.objects.create(organization=OrganizationFactory(), domain="acme.com", auto_assign=False)
    user = EndUserFactory()
    assert auto_assign_by_email(user=user, email="ana@acme.com") is None
    assert not Membership.objects.exists()


def test_an_existing_default_is_kept_and_joining_twice_changes_nothing():
    user = EndUserFactory()
    home = MembershipFactory(user=user, is_default=True)
    acme = OrganizationFactory(name="Acme")
    OrganizationDomain.objects.create(organization=acme, domain="acme.com", auto_assign=True)
    first = auto_assign_by_email(user=user, email="ana@acme.com")
    again = auto_assign_by_email(user=user, email="ana.souza@acme.com")
    assert first == again and not first.is_default
    home.refresh_from_db()
    assert home.is_default
    assert user.memberships.count() == 2


def test_a_free_mail_domain_never_assigns_even_if_an_old_row_says_so():
    OrganizationDomain.objects.create(organization=OrganizationFactory(), domain="gmail.com", auto_assign=True)
    assert auto_assign_by_email(user=EndUserFactory(), email="ana@gmail.com") is None
    assert not Membership.objects.exists()


def test_targets_map_each_email_to_the_organization_its_domain_auto_assigns_to(django_assert_num_queries):
    acme = OrganizationFactory(name="Acme")
    OrganizationDomain.objects.create(organization=acme, domain="acme.com", auto_assign=True)
    beta = OrganizationFactory(name="Beta")
    OrganizationDomain.objects.create(organization=beta, domain="beta.example", auto_assign=True)
    OrganizationDomain.objects.create(organization=beta, domain="quiet.example", auto_assign=False)
    OrganizationDomain.objects.create(organization=beta, domain="gmail.com", auto_assign=True)  # an old row
    emails = [
        "ana@acme.com",
        "bia@acme.com",
        "ana@acme.com",  # repeated
        "caio@beta.example",
        "dora@quiet.example",  # the domain does not auto-assign
        "eva@gmail.com",  # free mail never assigns
        "fe@mail.acme.com",  # a subdomain is another domain
        "gil@nowhere.example",
    ]
    with django_assert_num_queries(1):
        targets = auto_assign_targets(iter(emails))
    assert targets == {"ana@acme.com": acme.pk, "bia@acme.com": acme.pk, "caio@beta.example": beta.pk}


def test_targets_of_free_mail_and_disposable_addresses_ask_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert auto_assign_targets(["ana@gmail.com", "bia@mailinator.com", "caio@hotmail.com"]) == {}
    with django_assert_num_queries(0):
        assert auto_assign_targets([]) == {}


def test_targets_of_many_domains_are_read_in_batches():
    organizations = {}
    for n in range(450):  # beyond SQLite's batch of 400
        organization = OrganizationFactory()
        OrganizationDomain.objects.create(organization=organization, domain=f"d{n}.example", auto_assign=True)
        organizations[f"p{n}@d{n}.example"] = organization.pk
    assert auto_assign_targets(organizations) == organizations
