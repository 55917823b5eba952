"""The organizations list: search by name, domain or tag, per-page counts, sorting, pagination, empty states."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from organizations.models import Membership, OrganizationDomain
from tests.factories import ContactFactory, EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_domains_and_counts_in_a_bounded_number_of_queries(agent_client, django_assert_max_num_queries):
    users = EndUserFactory.create_batch(40)
    for n in range(30):
        organization = OrganizationFactory(name=f"Org {n:02d}")
        OrganizationDomain.objects.create(organization=organization, domain=f"org{n}.example", auto_assign=n == 0)
        Membership.objects.bulk_create(
            [Membership(user=u, organization=organization, is_default=n == 0) for u in users[: n + 1]]
        )
    with django_assert_max_num_queries(9):
        response = agent_client.get("/organizations/")
    page = response.content.decode()
    assert "org0.example" in page and "Org 00" in page and "Org 24" in page and "Org 25" not in page
    rows = {row.record.name: row.record for row in response.context["table"].page.object_list}
    assert rows["Org 03"].member_count == 4


def test_contacts_of_the_last_30_days_are_counted_for_rows_on_the_page(agent_client):
    acme = OrganizationFactory(name="Acme")
    ContactFactory(organization=acme, created_at=timezone.now() - timedelta(days=3))
    ContactFactory(organization=acme, created_at=timezone.now() - timedelta(days=40))
    MembershipFactory(organization=acme)
    record = agent_client.get("/organizations/").context["table"].page.object_list[0].record
    assert (record.member_count, record.recent_contact_count) == (1, 1)


def test_search_by_name_domain_and_tag(agent_client):
    acme = OrganizationFactory(name="Acme", tags=["vip"])
    OrganizationDomain.objects.create(organization=acme, domain="acme-corp.com")
    OrganizationFactory(name="Globex")

    def listed(**params) -> list[str]:
        response = agent_client.get("/organizations/", params)
        return [row.record.name for row in response.context["table"].page.object_list]

    assert listed(q="acm") == ["Acme"]
    assert listed(q="acme-corp.com") == ["Acme"]
    assert listed(q="vip") == ["Acme"]
    assert listed(tag="vip") == ["Acme"]
    assert listed(q="glob") == ["Globex"]


def test_sorting_by_name_ignores_case_and_by_creation_both_ways(agent_client):
    OrganizationFactory(name="beta")
    OrganizationFactory(name="Alpha")
    OrganizationFactory(name="Gamma")

    def order(sort: str | None = None) -> list[str]:
        response = agent_client.get("/organizations/", {"sort": sort} if sort else {})
        return [row.record.name for row in response.context["table"].page.object_list]

    assert order() == ["Alpha", "beta", "Gamma"]
    assert order("-name") == ["Gamma", "beta", "Alpha"]
    assert order("created_at") == ["beta", "Alpha", "Gamma"]
    assert order("-created_at") == ["Gamma", "Alpha", "beta"]


def test_member_counts_are_not_offered_as_a_sort(agent_client):
    OrganizationFactory(name="Alpha")
    table = agent_client.get("/organizations/").context["table"]
    assert not table.columns["member_count"].orderable
    assert not table.columns["recent_contact_count"].orderable


def test_pages_follow_without_counting_every_organization(agent_client):
    for n in range(30):
        OrganizationFactory(name=f"Org {n:02d}")
    first = agent_client.get("/organizations/")
    assert first.context["table"].page.has_next()
    second = agent_client.get("/organizations/", {"page": 2}).content.decode()
    assert "Org 25" in second and "Org 29" in second and "Org 24" not in second


def test_an_empty_list_tells_admins_to_create_one_and_agents_who_does(agent_client, admin_client):
    agent_page = agent_client.get("/organizations/").content.decode()
    assert "No organizations yet" in agent_page and "An admin creates them" in agent_page
    assert "New organization" not in agent_page
    admin_page = admin_client.get("/organizations/").content.decode()
    assert "Create the first organization" in admin_page


def test_a_search_without_results_says_how_to_search(agent_client):
    OrganizationFactory(name="Acme")
    page = agent_client.get("/organizations/", {"q": "zzz"}).content.decode()
    assert "No organization matches. Search by part of the name, a domain like acme.com, or a tag." in page
