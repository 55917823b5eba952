"""Creating, editing and deleting organizations from the pages: messages, and bad input that writes nothing."""

from __future__ import annotations

import pytest

from organizations.models import Membership, Organization, OrganizationDomain
from profiles.models import Contact, EndUser
from tests.factories import ContactFactory, EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def form(**fields) -> dict:
    return {"name": "", "domains": "", "tags": "", "external_id": "", "details": "", "notes": "", **fields}


def test_an_admin_creates_an_organization_with_domains_and_is_told_so(admin_client):
    response = admin_client.post(
        "/organizations/new/",
        form(name="Acme", domains="http://acme.com/\n@Acme.com.br", tags="vip Enterprise", details="HQ in Recife"),
        follow=True,
    )
    acme = Organization.objects.get(name="Acme")
    assert response.redirect_chain[-1][0] == f"/organizations/{acme.pk}/"
    assert "Created Acme." in response.content.decode()
    assert sorted(acme.domains.values_list("domain", flat=True)) == ["acme.com", "acme.com.br"]
    assert acme.tags == ["enterprise", "vip"] and acme.details == "HQ in Recife"


def test_a_duplicate_name_names_the_existing_organization_links_it_and_keeps_what_was_typed(admin_client):
    existing = OrganizationFactory(name="Acme")
    response = admin_client.post("/organizations/new/", form(name="ACME", domains="acme.com", notes="Keep me"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The organization &#x27;Acme&#x27; already exists (names ignore case); choose another name." in page
    assert f'<a href="/organizations/{existing.pk}/">Open Acme</a>' in page
    assert "Keep me" in page and "acme.com" in page
    assert Organization.objects.count() == 1 and not OrganizationDomain.objects.exists()


@pytest.mark.parametrize(
    ("domains", "message"),
    [
        ("acme", "&#x27;acme&#x27; is not an email domain: it has no dot (write it like acme.com)."),
        ("gmail.com", "gmail.com is a free-mail provider"),
        ("taken.com", "taken.com already belongs to the organization Taken Inc."),
        ("http://", "&#x27;http://&#x27; is not an email domain"),
    ],
)
def test_refused_domains_are_explained_and_nothing_is_created(admin_client, domains, message):
    OrganizationDomain.objects.create(organization=OrganizationFactory(name="Taken Inc."), domain="taken.com")
    response = admin_client.post("/organizations/new/", form(name="Acme", domains=f"acme.com\n{domains}"))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organization.objects.filter(name="Acme").exists()
    assert list(OrganizationDomain.objects.values_list("domain", flat=True)) == ["taken.com"]


def test_every_problem_is_shown_next_to_its_field_at_once(admin_client):
    OrganizationFactory(name="Acme")
    response = admin_client.post("/organizations/new/", form(name="ACME", domains="gmail.com\nacme"))
    errors = response.context["form"].errors
    assert "already exists" in errors["name"][0]
    assert [e.split(":")[0] for e in errors["domains"]] == [
        "gmail.com is a free-mail provider",
        "'acme' is not an email domain",
    ]
    assert Organization.objects.count() == 1


def test_a_missing_name_is_asked_for(admin_client):
    response = admin_client.post("/organizations/new/", form(domains="acme.com"))
    assert "This field is required." in response.content.decode()
    assert not Organization.objects.exists()


def test_the_edit_form_shows_the_current_values_and_saves_changes(admin_client):
    acme = OrganizationFactory(name="Acme", tags=["vip"], external_id="crm-9")
    OrganizationDomain.objects.create(organization=acme, domain="acme.com", auto_assign=True)
    page = admin_client.get(f"/organizations/{acme.pk}/edit/").content.decode()
    assert 'value="Acme"' in page and "acme.com" in page and 'value="vip"' in page and 'value="crm-9"' in page
    response = admin_client.post(
        f"/organizations/{acme.pk}/edit/", form(name="Acme S.A.", domains="acme.com\nacme.org"), follow=True
    )
    assert "Saved Acme S.A." in response.content.decode()
    acme.refresh_from_db()
    assert acme.name == "Acme S.A." and acme.external_id is None
    assert dict(acme.domains.values_list("domain", "auto_assign")) == {"acme.com": True, "acme.org": False}


def test_the_delete_confirmation_says_what_will_happen(admin_client):
    acme = OrganizationFactory(name="Acme")
    user = EndUserFactory()
    MembershipFactory(user=user, organization=acme, is_default=True)
    MembershipFactory(user=user, is_default=False)
    MembershipFactory(organization=acme, is_default=True)
    ContactFactory(organization=acme)
    page = admin_client.get(f"/organizations/{acme.pk}/delete/").content.decode()
    assert "2 memberships will be removed." in page and "No end user is deleted." in page
    assert (
        "2 members have it as default organization: "
        "1 gets their next organization as default, 1 will belong to no organization." in page
    )
    assert "1 contact filed under it keep" in page
    assert "Delete and remove 2 memberships" in page


def test_deleting_removes_memberships_keeps_people_and_contacts_and_says_so(admin_client):
    acme = OrganizationFactory(name="Acme")
    user = EndUserFactory()
    MembershipFactory(user=user, organization=acme, is_default=True)
    other = MembershipFactory(user=user, is_default=False)
    contact = ContactFactory(requester=user, organization=acme)
    response = admin_client.post(f"/organizations/{acme.pk}/delete/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/organizations/"
    assert "Deleted Acme and its 1 membership(s); no end user was deleted." in page
    assert "1 member(s) now have their next organization as default." in page
    assert "1 contact(s) keep their history, filed under no organization." in page
    assert not Organization.objects.filter(pk=acme.pk).exists()
    assert EndUser.objects.filter(pk=user.pk).exists()
    other.refresh_from_db()
    assert other.is_default
    assert Contact.objects.get(pk=contact.pk).organization is None
    assert Membership.objects.count() == 1
