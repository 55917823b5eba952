"""The database itself refuses rows that break an invariant, whatever code writes them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from organizations.models import Membership, Organization, OrganizationDomain
from profiles.models import Contact, EndUser, Identity
from tests.factories import (
    ContactFactory,
    EndUserFactory,
    IdentityFactory,
    MembershipFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db


def refused(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_one_contact_point_belongs_to_one_profile():
    IdentityFactory(kind="email", value="ana@example.com")
    other = EndUserFactory()
    assert refused(
        lambda: Identity.objects.create(user=other, kind="email", value="ANA@example.com", normalized="ana@example.com")
    )
    assert Identity.objects.filter(normalized="ana@example.com").count() == 1


def test_the_same_key_may_exist_under_two_kinds():
    IdentityFactory(kind="phone", value="+5511987654321")
    IdentityFactory(kind="whatsapp", value="+5511987654321")
    assert Identity.objects.filter(normalized="+5511987654321").count() == 2


def test_at_most_one_primary_identity_per_kind():
    first = IdentityFactory(kind="email", is_primary=True)
    assert refused(lambda: IdentityFactory(user=first.user, kind="email", is_primary=True))
    IdentityFactory(user=first.user, kind="phone", value="+5511987654321", is_primary=True)


def test_at_most_one_default_membership_per_user():
    membership = MembershipFactory(is_default=True)
    assert refused(lambda: MembershipFactory(user=membership.user, is_default=True))
    MembershipFactory(user=membership.user, is_default=False)


def test_a_user_joins_an_organization_once():
    membership = MembershipFactory()
    assert refused(lambda: Membership.objects.create(user=membership.user, organization=membership.organization))


def test_external_id_is_unique_when_present_and_many_profiles_may_have_none():
    EndUserFactory(external_id="crm-1")
    EndUserFactory(external_id=None)
    EndUserFactory(external_id=None)
    assert refused(lambda: EndUserFactory(external_id="crm-1"))
    assert refused(lambda: EndUserFactory(external_id=""))


def test_organization_names_are_unique_ignoring_case():
    # ASCII letters: SQLite's LOWER() folds only those (PostgreSQL folds all of Unicode).
    OrganizationFactory(name="Acme Logistics")
    assert refused(lambda: OrganizationFactory(name="ACME LOGISTICS"))
    assert refused(lambda: OrganizationFactory(name="acme logistics"))
    assert Organization.objects.count() == 1


def test_a_domain_belongs_to_one_organization_and_is_stored_lower_case():
    OrganizationDomain.objects.create(organization=OrganizationFactory(), domain="acme.com")
    assert refused(lambda: OrganizationDomain.objects.create(organization=OrganizationFactory(), domain="acme.com"))
    assert refused(lambda: OrganizationDomain.objects.create(organization=OrganizationFactory(), domain="Other.com"))


def test_a_channel_message_id_is_recorded_once_per_channel():
    ContactFactory(channel="email", source_ref="msg-1")
    ContactFactory(channel="whatsapp", source_ref="msg-1")
    ContactFactory(channel="email", source_ref=None)
    ContactFactory(channel="email", source_ref=None)
    assert refused(lambda: ContactFactory(channel="email", source_ref="msg-1"))


def test_names_cannot_be_empty_and_choices_are_enforced():
    assert refused(lambda: EndUserFactory(name=""))
    assert refused(lambda: EndUserFactory(source="fax"))
    assert refused(lambda: IdentityFactory(kind="pager", value="x", normalized="x"))
    assert refused(lambda: ContactFactory(channel="pigeon"))


def test_a_profile_cannot_be_merged_into_itself():
    user = EndUserFactory()
    user.merged_into = user
    assert refused(lambda: user.save())


def test_a_profile_with_contacts_cannot_be_deleted_so_no_history_is_lost():
    contact = ContactFactory()
    with pytest.raises(Exception, match="protected"):
        contact.requester.delete()
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert EndUser.objects.filter(pk=contact.requester_id).exists()
