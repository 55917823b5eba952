"""The Domains tab: add (normalized or refused with the reason), remove, and auto-assign with a preview."""

from __future__ import annotations

import pytest

from organizations.models import Membership, OrganizationDomain
from tests.factories import EndUserFactory, IdentityFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(db):
    return OrganizationFactory(name="Acme")


def test_domains_are_listed_with_their_auto_assign_state(agent_client, acme):
    OrganizationDomain.objects.create(organization=acme, domain="acme.com", auto_assign=True)
    page = agent_client.get(f"/organizations/{acme.pk}/domains/").content.decode()
    assert "acme.com" in page and ">On</span>" in page
    assert "Add a domain" not in page


def test_no_domains_yet_says_what_they_are_for(admin_client, acme):
    page = admin_client.get(f"/organizations/{acme.pk}/domains/").content.decode()
    assert "No domains yet" in page and "Add a domain" in page


@pytest.mark.parametrize("written", ["http://acme.com/", "@acme.com", "Acme.COM"])
def test_adding_a_domain_written_any_way(admin_client, acme, written):
    response = admin_client.post(f"/organizations/{acme.pk}/domains/add/", {"domain": written}, follow=True)
    assert "Added acme.com to Acme." in response.content.decode()
    assert list(acme.domains.values_list("domain", flat=True)) == ["acme.com"]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("acme", "&#x27;acme&#x27; is not an email domain: it has no dot (write it like acme.com)."),
        ("outlook.com", "outlook.com is a free-mail provider"),
        ("globex.com", "globex.com already belongs to the organization Globex."),
        ("", "This field is required."),
    ],
)
def test_a_refused_domain_is_explained_next_to_what_was_typed(admin_client, acme, written, message):
    globex = OrganizationFactory(name="Globex")
    OrganizationDomain.objects.create(organization=globex, domain="globex.com")
    response = admin_client.post(f"/organizations/{acme.pk}/domains/add/", {"domain": written})
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and f'value="{written}"' in page if written else message in page
    assert not acme.domains.exists()


def test_removing_a_domain_keeps_members(admin_client, acme):
    domain = OrganizationDomain.objects.create(organization=acme, domain="acme.com")
    MembershipFactory(organization=acme, is_default=True)
    response = admin_client.post(f"/organizations/{acme.pk}/domains/{domain.pk}/remove/", follow=True)
    assert "Removed acme.com from Acme. Its members stay members." in response.content.decode()
    assert not OrganizationDomain.objects.exists() and Membership.objects.count() == 1


def test_turning_auto_assign_on_previews_and_adds_existing_users(admin_client, acme):
    domain = OrganizationDomain.objects.create(organization=acme, domain="acme.com")
    for n in range(3):
        IdentityFactory(value=f"person{n}@acme.com", user=EndUserFactory())
    someone = IdentityFactory(value="busy@acme.com", user=EndUserFactory()).user
    MembershipFactory(user=someone, is_default=True)
    page = admin_client.get(f"/organizations/{acme.pk}/domains/{domain.pk}/auto-assign/").content.decode()
    assert "Also add the <strong>4</strong> existing end users with an address at acme.com now." in page
    assert "3 of them belong to no organization and get Acme as their default" in page
    response = admin_client.post(
        f"/organizations/{acme.pk}/domains/{domain.pk}/auto-assign/", {"enable": "1", "add_existing": "on"}, follow=True
    )
    assert "4 existing end user(s) were added." in response.content.decode()
    domain.refresh_from_db()
    assert domain.auto_assign and Membership.objects.filter(organization=acme).count() == 4


def test_turning_auto_assign_on_without_the_existing_users(admin_client, acme):
    domain = OrganizationDomain.objects.create(organization=acme, domain="acme.com")
    IdentityFactory(value="ana@acme.com")
    response = admin_client.post(
        f"/organizations/{acme.pk}/domains/{domain.pk}/auto-assign/", {"enable": "1"}, follow=True
    )
    assert "Auto-assign is on for acme.com" in response.content.decode()
    assert not Membership.objects.exists()


def test_turning_auto_assign_off_removes_nobody(admin_client, acme):
    domain = OrganizationDomain.objects.create(organization=acme, domain="acme.com", auto_assign=True)
    MembershipFactory(organization=acme, is_default=True)
    page = admin_client.get(f"/organizations/{acme.pk}/domains/{domain.pk}/auto-assign/").content.decode()
    assert "Nobody is removed" in page
    response = admin_client.post(f"/organizations/{acme.pk}/domains/{domain.pk}/auto-assign/", {"enable": "0"})
    assert [str(m) for m in response.wsgi_request._messages] == ["Auto-assign is off for acme.com. Nobody was removed."]
    domain.refresh_from_db()
    assert not domain.auto_assign and Membership.objects.count() == 1


def test_a_legacy_free_mail_domain_explains_why_it_cannot_auto_assign(admin_client, acme):
    legacy = OrganizationDomain.objects.create(organization=acme, domain="gmail.com")
    page = admin_client.get(f"/organizations/{acme.pk}/domains/{legacy.pk}/auto-assign/").content.decode()
    assert "gmail.com can't auto-assign" in page
    response = admin_client.post(
        f"/organizations/{acme.pk}/domains/{legacy.pk}/auto-assign/", {"enable": "1"}, follow=True
    )
    assert "gmail.com is a free-mail provider" in response.content.decode()
    legacy.refresh_from_db()
    assert not legacy.auto_assign
