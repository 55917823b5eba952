"""Creating, changing and deleting organizations: every rule and every refusal, and nothing half-written."""

from __future__ import annotations

import pytest

from organizations.errors import (
    DomainProblems,
    ExternalIdTaken,
    OrganizationNameMissing,
    OrganizationNameTaken,
    OrganizationProblems,
)
from organizations.models import Membership, Organization, OrganizationDomain
from organizations.services.organizations import create_organization, delete_organization, update_organization
from profiles.models import Contact, EndUser
from tests.factories import ContactFactory, EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_create_normalizes_name_tags_and_domains():
    organization = create_organization(
        name="  Acme   Ltda ",
        tags="VIP enterprise vip",
        external_id="  ",
        domains=["http://www.Acme.com/", "@acme.com.br", "ACME.COM", ""],
    )
    assert organization.name == "Acme Ltda"
    assert organization.tags == ["enterprise", "vip"]
    assert organization.external_id is None
    assert list(organization.domains.order_by("domain").values_list("domain", "auto_assign")) == [
        ("acme.com", False),
        ("acme.com.br", False),
    ]


def test_a_name_taken_ignoring_case_names_the_existing_organization_and_writes_nothing():
    existing = OrganizationFactory(name="Acme")
    with pytest.raises(OrganizationNameTaken) as caught:
        create_organization(name="ACME", domains=["acme.com"])
    assert caught.value.existing_id == existing.pk
    assert caught.value.message == "The organization 'Acme' already exists (names ignore case); choose another name."
    assert Organization.objects.count() == 1
    assert not OrganizationDomain.objects.exists()


def test_a_blank_name_is_refused():
    with pytest.raises(OrganizationNameMissing):
        create_organization(name="   ")
    assert not Organization.objects.exists()


def test_an_external_id_of_another_organization_is_refused_naming_it():
    OrganizationFactory(name="Globex", external_id="crm-1")
    with pytest.raises(ExternalIdTaken) as caught:
        create_organization(name="Acme", external_id=" crm-1 ")
    assert caught.value.message == "The organization 'Globex' already has the external id 'crm-1'."
    assert not Organization.objects.filter(name="Acme").exists()


def test_every_refused_domain_is_reported_at_once_and_nothing_is_created():
    OrganizationDomain.objects.create(organization=OrganizationFactory(name="Globex"), domain="globex.com")
    with pytest.raises(DomainProblems) as caught:
        create_organization(name="Acme", domains=["acme.com", "acme", "gmail.com", "globex.com", "acme.com:80"])
    messages = [problem.message for problem in caught.value.problems]
    assert messages == [
        "'acme' is not an email domain: it has no dot (write it like acme.com).",
        "gmail.com is a free-mail provider: its addresses belong to individuals, not to one organization, "
        "so it can't be an organization's domain or auto-assign anyone. Add those people as members instead.",
        "'acme.com:80' is not an email domain: a domain has no port.",
        "globex.com already belongs to the organization Globex.",
    ]
    assert not Organization.objects.filter(name="Acme").exists()
    assert list(OrganizationDomain.objects.values_list("domain", flat=True)) == ["globex.com"]


def test_a_name_clash_an_external_id_clash_and_bad_domains_are_all_reported_together():
    OrganizationFactory(name="Acme", external_id="crm-1")
    with pytest.raises(OrganizationProblems) as caught:
        create_organization(name="acme", external_id="crm-1", domains=["gmail.com", "acme"])
    assert [(type(p).__name__, p.field) for p in caught.value.flat()] == [
        ("OrganizationNameTaken", "name"),
        ("ExternalIdTaken", "external_id"),
        ("SharedMailDomain", "domains"),
        ("InvalidDomain", "domains"),
    ]
    assert Organization.objects.count() == 1


def test_update_makes_the_domains_exactly_those_given_and_keeps_auto_assign_of_kept_ones():
    organization = create_organization(name="Acme", domains=["acme.com", "old-acme.com"])
    organization.domains.filter(domain="acme.com").update(auto_assign=True)
    member = MembershipFactory(organization=organization, is_default=True)
    update_organization(
        organization=organization, name="Acme S.A.", details="Since 1990", domains=["acme.com", "acme.com.br"]
    )
    organization.refresh_from_db()
    assert organization.name == "Acme S.A." and organization.details == "Since 1990"
    assert dict(organization.domains.values_list("domain", "auto_assign")) == {"acme.com": True, "acme.com.br": False}
    assert Membership.objects.filter(pk=member.pk).exists()  # removing a domain removes no member


def test_update_keeps_its_own_name_in_another_case_and_refuses_another_organizations_name():
    acme = OrganizationFactory(name="Acme")
    OrganizationFactory(name="Globex")
    update_organization(organization=acme, name="ACME")
    acme.refresh_from_db()
    assert acme.name == "ACME"
    with pytest.raises(OrganizationNameTaken):
        update_organization(organization=acme, name="globex", domains=["acme.com"])
    acme.refresh_from_db()
    assert acme.name == "ACME" and not acme.domains.exists()


def test_update_with_a_refused_domain_changes_nothing_at_all():
    acme = create_organization(name="Acme", details="old", domains=["acme.com"])
    with pytest.raises(DomainProblems):
        update_organization(organization=acme, name="Acme 2", details="new", domains=["hotmail.com"])
    acme.refresh_from_db()
    assert (acme.name, acme.details) == ("Acme", "old")
    assert list(acme.domains.values_list("domain", flat=True)) == ["acme.com"]


def test_delete_removes_memberships_not_people_moves_defaults_and_keeps_contact_history():
    acme = create_organization(name="Acme", domains=["acme.com"])
    globex = OrganizationFactory(name="Globex")
    initech = OrganizationFactory(name="Initech")
    # Moves to her next membership: the oldest remaining one (Globex, then Initech).
    ana = EndUserFactory(name="Ana")
    MembershipFactory(user=ana, organization=acme, is_default=True)
    MembershipFactory(user=ana, organization=globex, is_default=False)
    MembershipFactory(user=ana, organization=initech, is_default=False)
    # Had only Acme: left with no organization.
    bruno = EndUserFactory(name="Bruno")
    MembershipFactory(user=bruno, organization=acme, is_default=True)
    # Acme was not his default: nothing changes for him but the membership.
    caio = EndUserFactory(name="Caio")
    MembershipFactory(user=caio, organization=initech, is_default=True)
    MembershipFactory(user=caio, organization=acme, is_default=False)
    contact = ContactFactory(requester=bruno, organization=acme, subject="Invoice")

    result = delete_organization(organization=acme)

    assert (result.memberships_removed, result.defaults_moved, result.left_without_organization) == (3, 1, 1)
    assert result.contacts_unfiled == 1 and result.name == "Acme"
    assert not Organization.objects.filter(name="Acme").exists()
    assert not OrganizationDomain.objects.exists()
    assert EndUser.objects.count() == 3
    assert Membership.objects.get(user=ana, is_default=True).organization == globex
    assert not Membership.objects.filter(user=bruno).exists()
    assert Membership.objects.get(user=caio, is_default=True).organization == initech
    contact.refresh_from_db()
    assert contact.organization is None and contact.subject == "Invoice" and contact.requester == bruno
    assert Contact.objects.count() == 1


def test_delete_moves_defaults_of_many_members_in_batches():
    acme = OrganizationFactory(name="Acme")
    globex = OrganizationFactory(name="Globex")
    users = EndUserFactory.create_batch(1100)
    Membership.objects.bulk_create(
        [Membership(user=u, organization=acme, is_default=True) for u in users]
        + [Membership(user=u, organization=globex, is_default=False) for u in users]
    )
    result = delete_organization(organization=acme)
    assert result.defaults_moved == 1100
    assert Membership.objects.filter(organization=globex, is_default=True).count() == 1100
