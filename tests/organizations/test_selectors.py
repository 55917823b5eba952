"""Read queries: list search, per-page counts, members, contacts in each scope, previews of big writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from organizations.models import Organization, OrganizationDomain
from organizations.selectors import (
    ContactScope,
    attach_row_counts,
    deletion_preview,
    members_of,
    organization_contacts,
    organization_named,
    organization_search_q,
)
from tests.factories import ContactFactory, EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_search_finds_organizations_by_name_domain_or_tag():
    acme = OrganizationFactory(name="Acme Ltda", tags=["vip"])
    OrganizationDomain.objects.create(organization=acme, domain="acme.com.br")
    globex = OrganizationFactory(name="Globex", tags=["enterprise", "vip-2"])
    OrganizationDomain.objects.create(organization=globex, domain="globex.com")
    OrganizationFactory(name="Initech")
    found = lambda text: names(Organization.objects.filter(organization_search_q(text)))  # noqa: E731
    assert found("acme") == {"Acme Ltda"}
    assert found("globex.com") == {"Globex"}
    assert found("https://www.globex.com/") == {"Globex"}
    assert found("@acme.com.br") == {"Acme Ltda"}
    assert found("VIP") == {"Acme Ltda"}  # an exact tag, not part of "vip-2"
    assert found("#enterprise") == {"Globex"}
    assert found("nothing like it") == set()


def test_row_counts_count_members_and_contacts_filed_in_the_last_30_days():
    now = timezone.now()
    acme, globex = OrganizationFactory(name="Acme"), OrganizationFactory(name="Globex")
    for _ in range(3):
        MembershipFactory(organization=acme)
    ContactFactory(organization=acme, created_at=now - timedelta(days=2))
    ContactFactory(organization=acme, created_at=now - timedelta(days=29))
    ContactFactory(organization=acme, created_at=now - timedelta(days=31))
    ContactFactory(organization=globex, created_at=now)
    rows = [acme, globex]
    attach_row_counts(rows, now=now)
    assert [(o.member_count, o.recent_contact_count) for o in rows] == [(3, 2), (0, 1)]


def test_members_carry_their_membership_and_default_organization():
    acme, globex = OrganizationFactory(name="Acme"), OrganizationFactory(name="Globex")
    ana, bruno = EndUserFactory(name="Ana"), EndUserFactory(name="Bruno")
    ana_membership = MembershipFactory(user=ana, organization=acme, is_default=True)
    MembershipFactory(user=bruno, organization=globex, is_default=True)
    MembershipFactory(user=bruno, organization=acme, is_default=False)
    members = list(members_of(acme))
    assert [(m.name, m.is_default_here) for m in members] == [("Ana", True), ("Bruno", False)]
    assert members[0].membership_id == ana_membership.pk
    assert members[1].default_memberships[0].organization == globex


def test_contacts_filed_under_an_organization_or_from_its_current_members():
    acme, globex = OrganizationFactory(name="Acme"), OrganizationFactory(name="Globex")
    member = EndUserFactory()
    MembershipFactory(user=member, organization=acme, is_default=False)
    filed_here_by_former_member = ContactFactory(organization=acme)
    filed_elsewhere_by_member = ContactFactory(requester=member, organization=globex)
    assert list(organization_contacts(acme)) == [filed_here_by_former_member]
    assert list(organization_contacts(acme, scope=ContactScope.MEMBERS)) == [filed_elsewhere_by_member]


def test_names_match_ignoring_case_and_can_exclude_one():
    acme = OrganizationFactory(name="Acme")
    assert organization_named("ACME") == acme
    assert organization_named("acme", exclude_pk=acme.pk) is None


def test_deletion_preview_counts_what_deleting_would_change():
    acme, globex = OrganizationFactory(name="Acme"), OrganizationFactory(name="Globex")
    moving = EndUserFactory()
    MembershipFactory(user=moving, organization=acme, is_default=True)
    MembershipFactory(user=moving, organization=globex, is_default=False)
    MembershipFactory(organization=acme, is_default=True)  # left without an organization
    MembershipFactory(organization=acme, is_default=False)
    ContactFactory(organization=acme)
    OrganizationDomain.objects.create(organization=acme, domain="acme.com", auto_assign=True)
    preview = deletion_preview(acme)
    assert (preview.memberships, preview.defaults, preview.defaults_moving) == (3, 2, 1)
    assert preview.left_without_organization == 1 and preview.contacts_filed == 1
    assert preview.auto_assigning
