"""Django admin for organizations: clear errors for names and domains that clash or are malformed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations.admin import MEMBERSHIP_INLINE_LIMIT
from organizations.models import Membership, Organization, OrganizationDomain
from profiles.models import EndUser
from tests.factories import ContactFactory, EndUserFactory, MembershipFactory, OrganizationFactory

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
    assert (
        "The organization &#x27;Acme&#x27; already exists (names ignore case); choose another name."
        in response.content.decode()
    )
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


def test_a_free_mail_domain_is_refused_in_the_admin_too(superuser_client):
    response = superuser_client.post(
        reverse("admin:organizations_organization_add"), organization_post_data("Acme", [("Gmail.com", True)])
    )
    assert "gmail.com is a free-mail provider" in response.content.decode()
    assert not Organization.objects.exists()


def test_an_organization_with_many_members_shows_only_the_first_ones_read_only(
    superuser_client, django_assert_max_num_queries
):
    acme = OrganizationFactory(name="Acme")
    users = EndUserFactory.create_batch(MEMBERSHIP_INLINE_LIMIT + 15)
    Membership.objects.bulk_create([Membership(user=u, organization=acme, is_default=True) for u in users])
    with django_assert_max_num_queries(25):
        response = superuser_client.get(reverse("admin:organizations_organization_change", args=[acme.pk]))
    page = response.content.decode()
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is Membership)
    assert len(formset.formset.forms) == MEMBERSHIP_INLINE_LIMIT
    assert f"{MEMBERSHIP_INLINE_LIMIT + 15} memberships" in page
    assert f"/admin/organizations/membership/?organization={acme.pk}" in page
    # Saving the organization leaves the memberships alone.
    data = organization_post_data("Acme Renamed")
    data.update(
        {
            "memberships-TOTAL_FORMS": str(MEMBERSHIP_INLINE_LIMIT),
            "memberships-INITIAL_FORMS": str(MEMBERSHIP_INLINE_LIMIT),
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "0",
        }
    )
    for index, form in enumerate(formset.formset.forms):
        data[f"memberships-{index}-id"] = str(form.instance.pk)
        data[f"memberships-{index}-organization"] = str(acme.pk)
    response = superuser_client.post(reverse("admin:organizations_organization_change", args=[acme.pk]), data)
    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.name == "Acme Renamed" and Membership.objects.filter(organization=acme).count() == len(users)


def test_the_membership_list_filters_by_organization_id_or_name(superuser_client):
    acme = OrganizationFactory(name="Acme")
    MembershipFactory(organization=acme)
    MembershipFactory(organization=OrganizationFactory(name="Globex"))
    changelist = reverse("admin:organizations_membership_changelist")
    by_id = superuser_client.get(changelist, {"organization": str(acme.pk)}).context["cl"].result_list
    by_name = superuser_client.get(changelist, {"organization": "acme"}).context["cl"].result_list
    assert [m.organization for m in by_id] == [acme] and [m.organization for m in by_name] == [acme]


def test_deleting_in_the_admin_goes_through_the_service_and_confirms_with_counts(superuser_client):
    acme = OrganizationFactory(name="Acme")
    user = EndUserFactory()
    MembershipFactory(user=user, organization=acme, is_default=True)
    other = MembershipFactory(user=user, is_default=False)
    ContactFactory(organization=acme)
    delete_url = reverse("admin:organizations_organization_delete", args=[acme.pk])
    page = superuser_client.get(delete_url).content.decode()
    assert "1 membership(s) removed (no end user is deleted)" in page
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Organization.objects.filter(pk=acme.pk).exists() and EndUser.objects.filter(pk=user.pk).exists()
    other.refresh_from_db()
    assert other.is_default


def test_the_bulk_delete_action_goes_through_the_service_too(superuser_client):
    acme, globex = OrganizationFactory(name="Acme"), OrganizationFactory(name="Globex")
    user = EndUserFactory()
    MembershipFactory(user=user, organization=acme, is_default=True)
    kept = MembershipFactory(user=user, is_default=False)
    changelist = reverse("admin:organizations_organization_changelist")
    selection = {"action": "delete_selected", "_selected_action": [acme.pk, globex.pk]}
    confirmation = superuser_client.post(changelist, selection).content.decode()
    assert "Acme: 1 membership(s) removed" in confirmation
    superuser_client.post(changelist, {**selection, "post": "yes"})
    assert not Organization.objects.filter(pk__in=[acme.pk, globex.pk]).exists()
    kept.refresh_from_db()
    assert kept.is_default
