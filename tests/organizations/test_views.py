"""The organizations list page."""

from __future__ import annotations

import pytest

from organizations.models import OrganizationDomain
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_each_organizations_domains_in_a_bounded_number_of_queries(
    agent_client, django_assert_max_num_queries
):
    for n in range(30):
        organization = OrganizationFactory(name=f"Org {n:02d}")
        OrganizationDomain.objects.create(organization=organization, domain=f"org{n}.example")
    with django_assert_max_num_queries(8):
        response = agent_client.get("/organizations/")
    page = response.content.decode()
    assert "org0.example" in page and "Org 00" in page


def test_an_empty_list_says_what_to_do(agent_client):
    assert "No organizations yet" in agent_client.get("/organizations/").content.decode()


def test_search_narrows_by_name(agent_client):
    OrganizationFactory(name="Acme")
    OrganizationFactory(name="Globex")
    page = agent_client.get("/organizations/", {"q": "acm"}).content.decode()
    assert "Acme" in page and "Globex" not in page
