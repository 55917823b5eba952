"""Routing's pages: admins manage, agents read and reassign; bad input says why and writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from organizations.routing.models import ContactRoute, RouteChange, RoutingRule, Team
from organizations.routing.services import reassign, route, set_default_team
from profiles.models import ContactStatus
from tests.conftest import signed_in_client
from tests.factories import ContactFactory, EndUserFactory, OrganizationFactory
from tests.organizations.routing.conftest import rule

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- access -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["organizations:teams", "organizations:rules", "organizations:team_contacts", "organizations:team_create"]
)
def test_anonymous_visitors_are_sent_to_the_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/teams/new/"),
        ("post", "/teams/new/"),
        ("get", "/routing/rules/new/"),
        ("post", "/routing/rules/new/"),
    ],
)
def test_agents_cannot_manage_teams_or_rules(agent_client, method, url):
    assert getattr(agent_client, method)(url, {"name": "X"}).status_code == 403
    assert not Team.objects.exists() and not RoutingRule.objects.exists()


def test_agents_cannot_set_a_default_team_or_reroute(agent_client, sul, acme):
    assert agent_client.post(f"/organizations/{acme.pk}/routing/", {"team": sul.pk}).status_code == 403
    assert agent_client.get(f"/organizations/{acme.pk}/routing/reroute/").status_code == 403
    assert not RoutingRule.objects.exists()


def test_a_get_on_a_post_only_url_is_405(admin_client, sul):
    moved = rule("One", sul, channel="email")
    assert admin_client.get(f"/routing/rules/{moved.pk}/move/").status_code == 405


# --- teams ------------------------------------------------------------------------------------------------


def test_an_admin_creates_a_team_with_members_and_sees_a_message(admin_client, agent):
    response = admin_client.post(
        "/teams/new/", {"name": "Equipe Sul", "description": "Sul", "members": [agent.pk]}, follow=True
    )
    team = Team.objects.get()
    assert list(team.members.all()) == [agent]
    assert "Created the team Equipe Sul." in messages_of(response)
    assert response.redirect_chain[-1][0] == f"/teams/{team.pk}/"


def test_a_duplicate_team_name_is_shown_next_to_the_field_and_nothing_is_saved(admin_client, sul):
    response = admin_client.post("/teams/new/", {"name": "EQUIPE SUL"})
    assert response.status_code == 200
    assert "already a team named Equipe Sul" in response.content.decode()
    assert Team.objects.count() == 1


def test_deleting_a_team_rules_use_lists_them_and_keeps_it(admin_client, sul, acme):
    rule("Acme and its domains", sul, organizations=[acme])
    page = admin_client.get(f"/teams/{sul.pk}/delete/").content.decode()
    assert "Acme and its domains" in page
    response = admin_client.post(f"/teams/{sul.pk}/delete/", follow=True)
    assert any("these rules route contacts to it: 'Acme and its domains'" in m for m in messages_of(response))
    assert Team.objects.filter(pk=sul.pk).exists()


def test_a_team_page_lists_members_organizations_and_open_contacts(agent_client, sul, acme):
    rule("Acme", sul, organizations=[acme])
    open_contact = ContactFactory(organization=acme, subject="Printer on fire")
    closed = ContactFactory(organization=acme, subject="Old question", status=ContactStatus.CLOSED)
    route(contact=open_contact)
    route(contact=closed)
    page = agent_client.get(f"/teams/{sul.pk}/").content.decode()
    assert "bia" in page and "Acme" in page and "Printer on fire" in page
    assert "Old question" not in page


def test_the_empty_teams_page_says_what_to_do(admin_client):
    assert "Create a team, add its agents" in admin_client.get("/teams/").content.decode()


# --- rules ------------------------------------------------------------------------------------------------


def test_an_admin_adds_a_rule_naming_organizations(admin_client, sul, acme):
    response = admin_client.post(
        "/routing/rules/new/", {"name": "Acme and its domains", "team": sul.pk, "organizations": "acme\n"}, follow=True
    )
    created = RoutingRule.objects.get()
    assert [o.name for o in created.organizations.all()] == ["Acme"]
    assert "Added the rule 'Acme and its domains' at position 1." in messages_of(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "All"}, "A rule needs at least one condition"),
        ({"name": "Typo", "organizations": "Acme\nAcmee"}, "No organization is named “Acmee”"),
        ({"name": "Bad", "domain": "mx"}, "is not a domain"),
        ({"name": "Bad channel", "channel": "fax"}, "Select a valid choice"),
    ],
)
def test_a_bad_rule_form_says_why_and_saves_nothing(admin_client, sul, acme, data, message):
    response = admin_client.post("/routing/rules/new/", {"team": sul.pk, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RoutingRule.objects.exists()


def test_a_rule_for_a_team_deleted_meanwhile_is_refused(admin_client, sul):
    gone = Team.objects.create(name="Gone")
    gone_id = gone.pk
    gone.delete()
    response = admin_client.post("/routing/rules/new/", {"team": gone_id, "name": "X", "channel": "sms"})
    assert "Select a valid choice" in response.content.decode()
    assert not RoutingRule.objects.exists()


def test_the_rules_page_warns_about_shadowed_overlapping_and_empty_rules(admin_client, sul, mexico, acme):
    OrganizationFactory(name="Globex", tags=["vip"])
    rule("All of Acme", sul, organizations=[acme])
    rule("Acme WhatsApp", mexico, organizations=[acme], channel="whatsapp")  # never applies
    rule("VIP", mexico, organization_tag="vip")  # overlaps: Acme is vip, Globex too
    gone = OrganizationFactory(name="Gone Inc")
    rule("Gone", sul, organizations=[gone])
    gone.delete()
    page = admin_client.get("/routing/rules/").content.decode()
    assert "Never applies: rule 1 &#x27;All of Acme&#x27; comes first" in page
    assert "Overlaps rule 1 &#x27;All of Acme&#x27;: contacts matching both go to Equipe Sul." in page
    assert "Matches nothing: the organizations it named were deleted." in page


def test_moving_a_rule_says_where_it_went(admin_client, sul):
    rule("One", sul, channel="email")
    two = rule("Two", sul, channel="sms")
    response = admin_client.post(f"/routing/rules/{two.pk}/move/", {"position": "1"}, follow=True)
    assert "Moved 'Two' to position 1." in messages_of(response)
    assert list(RoutingRule.objects.values_list("name", flat=True)) == ["Two", "One"]
    response = admin_client.post(f"/routing/rules/{two.pk}/move/", {"position": "nine"}, follow=True)
    assert "Choose a position as a number." in messages_of(response)
    response = admin_client.post(f"/routing/rules/{two.pk}/move/", {"position": "9"}, follow=True)
    assert "Choose a position between 1 and 2." in messages_of(response)
    assert list(RoutingRule.objects.values_list("name", flat=True)) == ["Two", "One"]


def test_deleting_a_rule_keeps_the_contacts_it_routed(admin_client, sul, acme):
    acme_rule = rule("Acme", sul, organizations=[acme])
    contact = ContactFactory(organization=acme)
    route(contact=contact)
    response = admin_client.post(f"/routing/rules/{acme_rule.pk}/delete/", follow=True)
    assert "Deleted the rule 'Acme'. Contacts it routed keep their team." in messages_of(response)
    assert ContactRoute.objects.get(contact=contact).team == sul


def test_the_rules_page_reads_a_bounded_number_of_queries(agent_client, sul, django_assert_max_num_queries):
    for n in range(12):
        rule(f"Org {n}", sul, organizations=[OrganizationFactory()], organization_tag=f"t{n}")
    with django_assert_max_num_queries(12):
        assert agent_client.get("/routing/rules/").status_code == 200


# --- an organization's routing ----------------------------------------------------------------------------


def test_the_organization_page_names_the_rule_that_routes_it(agent_client, sul, acme):
    set_default_team(organization=acme, team=sul)
    page = agent_client.get(f"/organizations/{acme.pk}/routing/").content.decode()
    assert "Its contacts go to <strong>Equipe Sul</strong> by rule 'Default team of Acme'." in page


def test_an_admin_sets_the_default_team_from_the_organization_page(admin_client, sul, acme):
    response = admin_client.post(f"/organizations/{acme.pk}/routing/", {"team": sul.pk}, follow=True)
    assert RoutingRule.objects.get().team == sul
    assert any(m.startswith("New contacts of Acme go to Equipe Sul.") for m in messages_of(response))
    response = admin_client.post(f"/organizations/{acme.pk}/routing/", {"team": ""}, follow=True)
    assert "Acme has no default team now." in messages_of(response)
    assert not RoutingRule.objects.exists()


def test_a_bad_default_team_is_refused(admin_client, acme):
    response = admin_client.post(f"/organizations/{acme.pk}/routing/", {"team": "987654"})
    assert "Select a valid choice" in response.content.decode()
    assert not RoutingRule.objects.exists()


def test_rerouting_shows_the_count_then_moves_on_confirmation(admin_client, sul, mexico, acme):
    set_default_team(organization=acme, team=sul)
    contacts = [ContactFactory(organization=acme) for _ in range(3)]
    for contact in contacts:
        route(contact=contact)
    set_default_team(organization=acme, team=mexico)
    page = admin_client.get(f"/organizations/{acme.pk}/routing/reroute/").content.decode()
    assert "It has 3 open contacts" in page and "Re-route 3 contacts" in page
    assert ContactRoute.objects.filter(team=sul).count() == 3  # nothing moved by looking
    response = admin_client.post(f"/organizations/{acme.pk}/routing/reroute/", follow=True)
    assert "Re-routed the open contacts of Acme: 3 changed team." in messages_of(response)
    assert ContactRoute.objects.filter(team=mexico).count() == 3


# --- the profile timeline and reassigning -----------------------------------------------------------------


def test_the_timeline_says_which_rule_routed_each_contact_and_who_moved_it(agent_client, agent, sul, mexico, acme):
    rule("Acme and its domains", sul, organizations=[acme])
    contact = ContactFactory(organization=acme)
    route(contact=contact)
    page = agent_client.get(f"/users/{contact.requester_id}/").content.decode()
    assert "routed to Equipe Sul by rule 'Acme and its domains'" in page
    reassign(contact=contact, team_id=mexico.pk, actor=agent, reason="Speaks Spanish")
    page = agent_client.get(f"/users/{contact.requester_id}/").content.decode()
    assert "routed to Equipe Sul by rule 'Acme and its domains'" in page
    assert "moved to Soporte México by agent: “Speaks Spanish”" in page


def test_the_profile_page_stays_bounded_with_routed_contacts(agent_client, sul, acme, django_assert_max_num_queries):
    rule("Acme", sul, organizations=[acme])
    user = EndUserFactory()
    for _ in range(15):
        route(contact=ContactFactory(requester=user, organization=acme))
    with django_assert_max_num_queries(20):
        assert agent_client.get(f"/users/{user.pk}/").status_code == 200


def test_an_agent_reassigns_a_contact_with_a_reason(agent_client, sul, mexico, acme):
    rule("Acme", sul, organizations=[acme])
    contact = ContactFactory(organization=acme)
    route(contact=contact)
    response = agent_client.post(
        f"/contacts/{contact.pk}/reassign/", {"team": mexico.pk, "reason": "Spanish"}, follow=True
    )
    assert "Moved the contact to Soporte México." in messages_of(response)
    assert ContactRoute.objects.get(contact=contact).team == mexico


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"team": "mexico", "reason": ""}, "This field is required"),
        ({"team": "gone", "reason": "why"}, "That team no longer exists"),
        ({"team": "sul", "reason": "why"}, "already with Equipe Sul"),
        ({"team": "abc", "reason": "why"}, "Enter a whole number"),
    ],
)
def test_a_bad_reassignment_says_why_and_changes_nothing(agent_client, sul, mexico, acme, data, message):
    rule("Acme", sul, organizations=[acme])
    contact = ContactFactory(organization=acme)
    route(contact=contact)
    team = {"mexico": mexico.pk, "sul": sul.pk, "gone": 987654, "abc": "abc"}[data["team"]]
    response = agent_client.post(f"/contacts/{contact.pk}/reassign/", {**data, "team": team})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ContactRoute.objects.get(contact=contact).team == sul
    assert not RouteChange.objects.exists()


# --- my teams' contacts -----------------------------------------------------------------------------------


@pytest.fixture
def bia_client(sul) -> Client:
    return signed_in_client(sul.members.get())


def test_my_teams_contacts_put_open_ones_first_and_pages_neither_skip_nor_repeat(
    bia_client, sul, mexico, acme, django_assert_max_num_queries
):
    rule("Acme", sul, organizations=[acme])
    statuses = [
        ContactStatus.CLOSED,
        ContactStatus.OPEN,
        ContactStatus.SOLVED,
        ContactStatus.NEW,
        ContactStatus.PENDING,
    ]
    contacts = [ContactFactory(organization=acme, status=statuses[n % 5]) for n in range(61)]
    for contact in contacts:
        route(contact=contact)
    elsewhere = ContactFactory(organization=OrganizationFactory())
    reassign(contact=elsewhere, team_id=mexico.pk, actor=sul.members.get(), reason="x")

    seen, url, pages = [], "/contacts/mine/", 0
    while url:
        with django_assert_max_num_queries(9):
            response = bia_client.get(url)
        seen += [r.contact_id for r in response.context["page"].routes]
        url, pages = response.context["next_url"], pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 61
    open_ids = sorted((c.pk for c in contacts if c.status in ("new", "open", "pending")), reverse=True)
    closed_ids = sorted((c.pk for c in contacts if c.status in ("solved", "closed")), reverse=True)
    assert seen == open_ids + closed_ids


def test_my_teams_contacts_filter_by_team_organization_channel_and_status(bia_client, sul, mexico, acme):
    rule("Acme SMS", mexico, organizations=[acme], channel="sms")
    rule("Acme", sul, organizations=[acme])
    sms = ContactFactory(organization=acme, channel="sms")
    email = ContactFactory(organization=acme, channel="email", status=ContactStatus.PENDING)
    for contact in (sms, email):
        route(contact=contact)
    ids = lambda response: [r.contact_id for r in response.context["page"].routes]  # noqa: E731
    assert ids(bia_client.get("/contacts/mine/")) == [email.pk]
    assert ids(bia_client.get(f"/contacts/mine/?team={mexico.pk}")) == [sms.pk]
    assert ids(bia_client.get(f"/contacts/mine/?team={mexico.pk}&channel=email")) == []
    assert ids(bia_client.get("/contacts/mine/?organization=ACME&status=pending")) == [email.pk]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("organization=Nope", "No organization is named “Nope”."),
        ("status=lost", "Select a valid choice"),
        ("team=abc", "Select a valid choice"),
        ("after=x12", "That page link is broken"),
    ],
)
def test_bad_filters_say_why_instead_of_failing(bia_client, sul, query, message):
    response = bia_client.get(f"/contacts/mine/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()


def test_someone_in_no_team_is_told_what_to_do(agent_client):
    assert "You are in no team yet" in agent_client.get("/contacts/mine/").content.decode()


def test_someone_in_two_teams_pages_through_both_without_skipping_or_repeating(
    bia_client, sul, mexico, acme, django_assert_max_num_queries
):
    from organizations.routing.services import update_team

    update_team(team=mexico, name=mexico.name, members=[sul.members.get()])
    rule("Acme SMS", mexico, organizations=[acme], channel="sms")
    rule("Acme", sul, organizations=[acme])
    contacts = [
        ContactFactory(organization=acme, channel="sms" if n % 3 else "email", status=("open", "closed")[n % 2])
        for n in range(57)
    ]
    for contact in contacts:
        route(contact=contact)
    seen, url = [], "/contacts/mine/"
    while url:
        with django_assert_max_num_queries(11):  # one indexed scan per team and part
            response = bia_client.get(url)
        seen += [r.contact_id for r in response.context["page"].routes]
        url = response.context["next_url"]
    open_ids = sorted((c.pk for c in contacts if c.status == "open"), reverse=True)
    closed_ids = sorted((c.pk for c in contacts if c.status == "closed"), reverse=True)
    assert seen == open_ids + closed_ids


@pytest.mark.postgres
def test_a_team_contacts_page_walks_the_team_contact_index(sul, acme):
    from django.db import connection

    from organizations.routing.selectors import OPEN_STATUSES

    rule("Acme", sul, organizations=[acme])
    route(contact=ContactFactory(organization=acme))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    query = (
        ContactRoute.objects.filter(team=sul, contact__status__in=OPEN_STATUSES, contact_id__lt=10**9)
        .select_related("contact")
        .order_by("-contact_id")[:26]
    )
    plan = query.explain()
    assert "contactroute_team_contact" in plan, plan
    assert "Sort" not in plan.split("contactroute_team_contact")[0], plan


# --- the organization's Contacts tab and report -----------------------------------------------------------


def test_the_contacts_tab_filters_and_shows_the_team(agent_client, sul, acme, django_assert_max_num_queries):
    rule("Acme email", sul, organizations=[acme], channel="email")
    routed = ContactFactory(organization=acme, subject="Routed one")
    route(contact=routed)
    unrouted = ContactFactory(organization=acme, channel="sms", subject="Text one")
    route(contact=unrouted)
    with django_assert_max_num_queries(10):
        page = agent_client.get(f"/organizations/{acme.pk}/contacts/?team={sul.pk}").content.decode()
    assert "Routed one" in page and "Text one" not in page and "Equipe Sul" in page
    page = agent_client.get(f"/organizations/{acme.pk}/contacts/?team=none").content.decode()
    assert "Text one" in page and "Routed one" not in page
    response = agent_client.get(f"/organizations/{acme.pk}/contacts/?team=987654")
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_the_report_splits_contacts_by_team(agent_client, sul, mexico, acme):
    from organizations.reports import monthly_report

    rule("Acme SMS", mexico, organizations=[acme], channel="sms")
    rule("Acme", sul, organizations=[acme])
    for channel in ("email", "email", "sms"):
        route(contact=ContactFactory(organization=acme, channel=channel))
    ContactFactory(organization=acme)  # from before routing: no team
    report = monthly_report(acme)
    assert [(s.label, s.total) for s in report.by_team] == [("Equipe Sul", 2), ("Soporte México", 1), ("No team", 1)]
    page = agent_client.get(f"/organizations/{acme.pk}/report/").content.decode()
    assert "Numbers by team" in page and "Soporte México" in page
