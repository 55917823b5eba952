"""New end users join the organization whose auto-assigning domain matches their email."""

from __future__ import annotations

import pytest

from organizations.models import Membership, OrganizationDomain
from organizations.services.auto_assign import auto_assign_by_email
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
