"""Contacts of an organization (filters, both scopes) and its report: SVG chart, numbers, CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ContactFactory, EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(db):
    return OrganizationFactory(name="Acme")


def listed(client, acme, **params) -> list[str]:
    response = client.get(f"/organizations/{acme.pk}/contacts/", params)
    return [row.record.subject for row in response.context["table"].page.object_list]


def test_contacts_filter_by_channel_status_and_scope(agent_client, acme):
    member = EndUserFactory()
    MembershipFactory(user=member, organization=acme)
    now = timezone.now()
    ContactFactory(organization=acme, subject="Email open", channel="email", status="open", created_at=now)
    ContactFactory(
        organization=acme, subject="Call solved", channel="voice", status="solved", created_at=now - timedelta(hours=1)
    )
    ContactFactory(requester=member, organization=None, subject="Member, unfiled", created_at=now - timedelta(hours=2))
    assert listed(agent_client, acme) == ["Email open", "Call solved"]
    assert listed(agent_client, acme, channel="voice") == ["Call solved"]
    assert listed(agent_client, acme, status="open") == ["Email open"]
    assert listed(agent_client, acme, scope="members") == ["Member, unfiled"]
    assert listed(agent_client, acme, scope="members", channel="voice") == []


def test_an_unknown_filter_value_is_explained_and_lists_nothing(agent_client, acme):
    ContactFactory(organization=acme)
    response = agent_client.get(f"/organizations/{acme.pk}/contacts/", {"channel": "fax"})
    assert "Select a valid choice. fax is not one of the available choices." in response.content.decode()
    assert list(response.context["table"].page.object_list) == []


def test_no_contacts_yet_says_where_they_come_from(agent_client, acme):
    page = agent_client.get(f"/organizations/{acme.pk}/contacts/").content.decode()
    assert "No contacts filed under Acme yet" in page


@pytest.mark.parametrize("contacts", [2, 40])
def test_the_contacts_tab_uses_a_bounded_number_of_queries(agent_client, acme, contacts, django_assert_max_num_queries):
    for _ in range(contacts):
        ContactFactory(organization=acme)
    # 10: the team filter's list of teams (routing) is one query more.
    with django_assert_max_num_queries(10):
        assert agent_client.get(f"/organizations/{acme.pk}/contacts/", {"scope": "members"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert agent_client.get(f"/organizations/{acme.pk}/contacts/").status_code == 200


@pytest.mark.parametrize("contacts", [1, 60])
def test_the_report_draws_svg_charts_and_the_numbers_in_bounded_queries(
    agent_client, acme, contacts, django_assert_max_num_queries
):
    for n in range(contacts):
        ContactFactory(organization=acme, channel=["email", "whatsapp"][n % 2], status="solved")
    with django_assert_max_num_queries(9):
        response = agent_client.get(f"/organizations/{acme.pk}/report/")
    page = response.content.decode()
    assert page.count("<svg") == 4  # by channel and by status, each drawn wide and narrow
    assert "<title>Email, " in page and "Numbers by channel" in page and "Numbers by status" in page
    assert f"<strong>{contacts}</strong> contact" in page
    assert "cdn" not in page.lower() and "<script" not in page


def test_an_empty_report_says_so(agent_client, acme):
    page = agent_client.get(f"/organizations/{acme.pk}/report/").content.decode()
    assert "No contacts in the last 12 months" in page and "<svg" not in page


def test_the_csv_download_has_a_row_per_month_and_follows_the_scope(agent_client, acme):
    ContactFactory(organization=acme, channel="sms", status="new")
    response = agent_client.get(f"/organizations/{acme.pk}/report.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="acme-contacts-filed-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 12
    assert (rows[-1]["total"], rows[-1]["channel:sms"], rows[-1]["status:new"]) == ("1", "1", "1")
    members = agent_client.get(f"/organizations/{acme.pk}/report.csv", {"scope": "members"})
    assert 'filename="acme-contacts-members-' in members["Content-Disposition"]
    assert list(csv.DictReader(io.StringIO(members.content.decode())))[-1]["total"] == "0"
