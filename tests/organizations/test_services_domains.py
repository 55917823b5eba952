"""Domains: added normalized, refused with a reason, and auto-assignment with a set-based backfill."""

from __future__ import annotations

import pytest

from organizations.errors import DomainTaken, InvalidDomain, SharedMailDomain
from organizations.models import Membership, OrganizationDomain
from organizations.selectors import auto_assign_preview
from organizations.services.domains import add_domain, remove_domain, set_auto_assign
from tests.factories import EndUserFactory, IdentityFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("written", ["http://acme.com/", "@acme.com", "ACME.com", "sales@acme.com"])
def test_a_domain_written_any_way_is_stored_normalized(written):
    acme = OrganizationFactory(name="Acme")
    assert add_domain(organization=acme, domain=written).domain == "acme.com"


def test_adding_a_domain_the_organization_has_returns_it_unchanged():
    acme = OrganizationFactory(name="Acme")
    first = add_domain(organization=acme, domain="acme.com")
    assert add_domain(organization=acme, domain="@ACME.com") == first
    assert OrganizationDomain.objects.count() == 1


@pytest.mark.parametrize(
    ("written", "error", "message"),
    [
        ("acme", InvalidDomain, "'acme' is not an email domain: it has no dot (write it like acme.com)."),
        ("gmail.com", SharedMailDomain, "gmail.com is a free-mail provider"),
        ("yahoo.com.br", SharedMailDomain, "yahoo.com.br is a free-mail provider"),
        ("mailinator.com", SharedMailDomain, "mailinator.com is a disposable-address service"),
        ("globex.com", DomainTaken, "globex.com already belongs to the organization Globex."),
    ],
)
def test_refused_domains_say_why_and_nothing_is_written(written, error, message):
    OrganizationDomain.objects.create(organization=OrganizationFactory(name="Globex"), domain="globex.com")
    acme = OrganizationFactory(name="Acme")
    with pytest.raises(error) as caught:
        add_domain(organization=acme, domain=written)
    assert message in caught.value.message
    assert not acme.domains.exists()


def test_removing_a_domain_keeps_its_members():
    acme = OrganizationFactory(name="Acme")
    domain = add_domain(organization=acme, domain="acme.com")
    membership = MembershipFactory(organization=acme, is_default=True)
    remove_domain(domain=domain)
    assert not OrganizationDomain.objects.exists()
    assert Membership.objects.filter(pk=membership.pk).exists()


def with_email(address: str, **user):
    return IdentityFactory(value=address, user=EndUserFactory(**user)).user


def test_turning_auto_assign_on_can_add_existing_users_with_the_one_default_rule(django_assert_max_num_queries):
    acme = OrganizationFactory(name="Acme")
    domain = add_domain(organization=acme, domain="acme.com")
    loner = with_email("loner@acme.com")  # no organization: Acme becomes the default
    busy = with_email("busy@ACME.com")  # already has a default elsewhere: kept
    busy_home = MembershipFactory(user=busy, is_default=True)
    member = with_email("member@acme.com")  # already a member: untouched
    MembershipFactory(user=member, organization=acme, is_default=True)
    twice = with_email("one@acme.com")  # two addresses at the domain: one membership
    IdentityFactory(user=twice, value="two@acme.com")
    survivor = EndUserFactory()
    with_email("gone@acme.com", merged_into=survivor)  # a merged-away tombstone: never added
    outsider = with_email("ana@notacme.com")  # another domain that merely ends the same way
    sub = with_email("ana@mail.acme.com")  # a subdomain is another domain
    for n in range(20):
        with_email(f"bulk{n}@acme.com")

    preview = auto_assign_preview(domain)
    assert (preview.with_domain, preview.already_members, preview.joining) == (24, 1, 23)
    assert preview.joining_as_default == 22

    with django_assert_max_num_queries(8):  # savepoints included; one read, one INSERT for any number of users
        added = set_auto_assign(domain=domain, enabled=True, add_existing=True)

    assert added == 23
    domain.refresh_from_db()
    assert domain.auto_assign
    assert Membership.objects.get(user=loner, organization=acme).is_default
    assert not Membership.objects.get(user=busy, organization=acme).is_default
    busy_home.refresh_from_db()
    assert busy_home.is_default
    assert Membership.objects.filter(user=twice, organization=acme).count() == 1
    assert not Membership.objects.filter(user__merged_into=survivor).exists()
    assert not Membership.objects.filter(user__in=[outsider, sub]).exists()
    assert Membership.objects.filter(organization=acme).count() == 24
    assert (
        Membership.objects.filter(is_default=True).values("user").distinct().count()
        == Membership.objects.filter(is_default=True).count()
    )


def test_turning_auto_assign_on_without_adding_existing_users_adds_nobody():
    acme = OrganizationFactory(name="Acme")
    domain = add_domain(organization=acme, domain="acme.com")
    with_email("ana@acme.com")
    assert set_auto_assign(domain=domain, enabled=True, add_existing=False) == 0
    assert domain.auto_assign and not Membership.objects.exists()


def test_turning_auto_assign_off_removes_nobody():
    acme = OrganizationFactory(name="Acme")
    domain = OrganizationDomain.objects.create(organization=acme, domain="acme.com", auto_assign=True)
    membership = MembershipFactory(organization=acme, user=with_email("ana@acme.com"), is_default=True)
    set_auto_assign(domain=domain, enabled=False)
    domain.refresh_from_db()
    assert not domain.auto_assign
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_free_mail_domain_stored_before_the_rule_cannot_be_turned_on():
    acme = OrganizationFactory(name="Acme")
    legacy = OrganizationDomain.objects.create(organization=acme, domain="hotmail.com")
    with_email("ana@hotmail.com")
    with pytest.raises(SharedMailDomain):
        set_auto_assign(domain=legacy, enabled=True, add_existing=True)
    legacy.refresh_from_db()
    assert not legacy.auto_assign and not Membership.objects.exists()
