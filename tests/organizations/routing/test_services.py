"""Teams and rules: every rule of the services and every refusal, with nothing written when refused."""

from __future__ import annotations

import pytest

from organizations.routing.errors import RoutingError, TeamInUse
from organizations.routing.models import ContactRoute, RouteChange, RouteKind, RoutingRule, Team
from organizations.routing.services import (
    RuleInput,
    create_rule,
    create_team,
    default_rule,
    delete_rule,
    delete_team,
    move_rule,
    reassign,
    reorder_rules,
    reroute_open_contacts,
    reroute_preview,
    route,
    set_default_team,
    update_rule,
    update_team,
)
from profiles.models import ContactStatus
from tests.factories import AgentFactory, ContactFactory, EndUserFactory, IdentityFactory, OrganizationFactory
from tests.organizations.routing.conftest import rule

pytestmark = pytest.mark.django_db


# --- teams ------------------------------------------------------------------------------------------------


def test_a_team_has_a_name_a_description_and_staff_members_who_may_be_in_several_teams(sul):
    bia = sul.members.get()
    north = create_team(name="Equipe Norte", members=[bia])
    assert sorted(bia.routing_teams.values_list("name", flat=True)) == ["Equipe Norte", "Equipe Sul"]
    assert north.description == ""


def test_team_names_are_unique_ignoring_case(sul):
    with pytest.raises(RoutingError, match="already a team named Equipe Sul"):
        create_team(name="  equipe   SUL ")
    assert Team.objects.count() == 1


def test_a_team_needs_a_name_and_staff_members(db):
    with pytest.raises(RoutingError, match="Give the team a name"):
        create_team(name="  ")
    outsider = AgentFactory(username="former", is_staff=False)
    with pytest.raises(RoutingError, match=r"Only active staff.*former"):
        create_team(name="Equipe", members=[outsider])
    assert not Team.objects.exists()


def test_renaming_a_team_keeps_its_members_unless_given(sul):
    update_team(team=sul, name="Equipe Sul e Sudeste", description="")
    sul.refresh_from_db()
    assert (sul.name, sul.members.count()) == ("Equipe Sul e Sudeste", 1)
    update_team(team=sul, name="Equipe Sul", members=[])
    assert sul.members.count() == 0


def test_a_team_rules_route_to_cannot_be_deleted_and_the_rules_are_named(sul, acme):
    rule("Acme and its domains", sul, organizations=[acme])
    rule("VIP", sul, organization_tag="vip")
    with pytest.raises(TeamInUse) as refused:
        delete_team(team=sul)
    assert "'Acme and its domains', 'VIP'" in refused.value.message
    assert Team.objects.filter(pk=sul.pk).exists()


def test_deleting_a_team_keeps_the_name_on_the_contacts_routed_to_it(sul, acme):
    acme_rule = rule("Acme", sul, organizations=[acme])
    contact = ContactFactory(organization=acme)
    route(contact=contact)
    delete_rule(rule=acme_rule)
    assert delete_team(team=sul) == "Equipe Sul"
    kept = ContactRoute.objects.get(contact=contact)
    assert (kept.team, kept.team_name, kept.rule, kept.rule_name) == (None, "Equipe Sul", None, "Acme")


# --- rules ------------------------------------------------------------------------------------------------


def test_rules_are_numbered_in_order_and_inserted_where_asked(sul, acme):
    first = rule("One", sul, channel="email")
    second = rule("Two", sul, channel="sms")
    between = create_rule(data=RuleInput(name="Between", team_id=sul.pk, channel="voice"), position=2)
    assert list(RoutingRule.objects.values_list("name", "position")) == [("One", 1), ("Between", 2), ("Two", 3)]
    move_rule(rule=second, position=1)
    assert list(RoutingRule.objects.values_list("name", flat=True)) == ["Two", "One", "Between"]
    reorder_rules(rule_ids=[between.pk, first.pk, second.pk])
    assert list(RoutingRule.objects.values_list("name", flat=True)) == ["Between", "One", "Two"]
    delete_rule(rule=first)
    assert list(RoutingRule.objects.values_list("name", "position")) == [("Between", 1), ("Two", 2)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Everything"}, "at least one condition"),
        ({"name": "", "channel": "email"}, "Give the rule a name"),
        ({"name": "Bad channel", "channel": "fax"}, "'fax' is not a channel"),
        ({"name": "Bad domain", "domain": "acme"}, "'acme' is not a domain"),
        ({"name": "Two tags", "organization_tag": "vip gold"}, "one tag"),
        ({"name": "Gone", "organization_ids": (987654,)}, "#987654 no longer exists"),
        ({"name": "acme and ITS domains", "channel": "sms"}, "already a rule named 'Acme and its domains'"),
    ],
)
def test_a_bad_rule_is_refused_with_a_message_and_nothing_is_written(sul, acme, data, message):
    rule("Acme and its domains", sul, organizations=[acme])
    with pytest.raises(RoutingError, match=message):
        create_rule(data=RuleInput(team_id=sul.pk, **data))
    assert list(RoutingRule.objects.values_list("name", flat=True)) == ["Acme and its domains"]


def test_a_rule_for_a_deleted_team_is_refused(sul):
    gone_id = create_team(name="Gone").pk
    Team.objects.filter(pk=gone_id).delete()
    with pytest.raises(RoutingError, match="team no longer exists"):
        create_rule(data=RuleInput(name="To nowhere", team_id=gone_id, channel="sms"))
    assert not RoutingRule.objects.exists()


def test_the_database_refuses_a_rule_without_condition_and_two_rules_at_one_position(sul):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(name="Everything", position=1, team=sul)
    RoutingRule.objects.create(name="A", position=1, team=sul, channel="sms")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(name="B", position=1, team=sul, channel="email")


def test_a_refused_move_changes_nothing(sul):
    only = rule("One", sul, channel="email")
    with pytest.raises(RoutingError, match="between 1 and 1"):
        move_rule(rule=only, position=3)
    with pytest.raises(RoutingError, match="changed meanwhile"):
        reorder_rules(rule_ids=[only.pk, only.pk])
    assert RoutingRule.objects.get().position == 1


def test_updating_a_rule_never_rewrites_the_contacts_it_routed(sul, mexico, acme):
    acme_rule = rule("Acme", sul, organizations=[acme])
    contact = ContactFactory(organization=acme)
    route(contact=contact)
    update_rule(rule=acme_rule, data=RuleInput(name="Acme", team_id=mexico.pk, organization_ids=(acme.pk,)))
    assert ContactRoute.objects.get(contact=contact).team == sul
    later = ContactFactory(organization=acme)
    assert route(contact=later).team == mexico


# --- routing ----------------------------------------------------------------------------------------------


def test_the_first_matching_rule_wins_and_is_recorded_with_its_name(sul, mexico, acme):
    rule("Acme WhatsApp", mexico, organizations=[acme], channel="whatsapp")
    rule("Acme and its domains", sul, organizations=[acme])
    by_email = route(contact=ContactFactory(organization=acme, channel="email"))
    by_whatsapp = route(contact=ContactFactory(organization=acme, channel="whatsapp"))
    assert (by_email.team, by_email.rule_name, by_email.kind) == (sul, "Acme and its domains", RouteKind.RULE)
    assert (by_whatsapp.team, by_whatsapp.rule_name) == (mexico, "Acme WhatsApp")


def test_no_matching_rule_is_recorded_as_no_team(sul, acme):
    rule("Acme", sul, organizations=[acme])
    decided = route(contact=ContactFactory(organization=None))
    assert (decided.team, decided.rule, decided.kind) == (None, None, RouteKind.NO_MATCH)


def test_each_condition_matches_what_it_says(sul, mexico, acme):
    rule("VIP organizations", sul, organization_tag="vip")
    rule("Mexico", mexico, domain="*.mx")
    rule("Gold customers", mexico, enduser_tag="gold")
    assert route(contact=ContactFactory(organization=acme)).rule_name == "VIP organizations"
    mx_org = OrganizationFactory(name="Tienda")
    from organizations.services.domains import add_domain

    add_domain(organization=mx_org, domain="tienda.com.mx")
    assert route(contact=ContactFactory(organization=mx_org)).rule_name == "Mexico"
    # no organization, but the email the contact came through is in .mx
    email = IdentityFactory(value="ana@correo.com.mx")
    assert route(contact=ContactFactory(requester=email.user, via_identity=email)).rule_name == "Mexico"
    gold = EndUserFactory(tags=["gold"])
    assert route(contact=ContactFactory(requester=gold)).rule_name == "Gold customers"
    assert route(contact=ContactFactory()).kind == RouteKind.NO_MATCH


def test_a_rule_whose_organizations_were_all_deleted_matches_nothing(sul, acme):
    rule("Acme only", sul, organizations=[acme])
    acme.delete()
    assert route(contact=ContactFactory(organization=None)).kind == RouteKind.NO_MATCH


def test_changing_an_organization_tags_reaches_the_cached_rules(sul):
    rule("VIP", sul, organization_tag="vip")
    from organizations.services.organizations import create_organization, update_organization

    globex = create_organization(name="Globex")
    assert route(contact=ContactFactory(organization=globex)).kind == RouteKind.NO_MATCH
    update_organization(organization=globex, name="Globex", tags="vip")
    assert route(contact=ContactFactory(organization=globex)).team == sul


def test_routing_a_contact_is_one_query_once_the_rules_are_compiled(sul, acme, django_assert_num_queries):
    from organizations.routing.rules import Facts
    from organizations.routing.services import route_new_contact

    rule("Acme", sul, organizations=[acme])
    rule("VIP", sul, organization_tag="vip")
    rule("Mexico", sul, domain=".mx")
    first, second = ContactFactory(organization=acme), ContactFactory(organization=acme)
    facts = Facts(organization_id=acme.pk, channel="email")
    route_new_contact(contact_id=first.pk, facts=facts, routed_at=first.created_at)  # compiles
    with django_assert_num_queries(1):  # the INSERT, which checks the stamp itself
        decided = route_new_contact(contact_id=second.pk, facts=facts, routed_at=second.created_at)
    assert decided.rule_name == "Acme"


# --- an organization's default team -----------------------------------------------------------------------


def test_set_default_team_creates_then_updates_then_removes_the_organization_rule(sul, mexico, acme):
    rule("Everyone in .mx", mexico, domain=".mx")
    made = set_default_team(organization=acme, team=sul)
    assert (made.name, made.position, made.team) == ("Default team of Acme", 1, sul)
    assert default_rule(acme) == made
    again = set_default_team(organization=acme, team=mexico)
    assert (again.pk, again.team) == (made.pk, mexico)
    set_default_team(organization=acme, team=None)
    assert default_rule(acme) is None
    assert list(RoutingRule.objects.values_list("name", flat=True)) == ["Everyone in .mx"]


def test_the_default_rule_goes_after_the_organization_more_specific_rules(sul, mexico, acme):
    rule("Acme WhatsApp", mexico, organizations=[acme], channel="whatsapp")
    rule("Everyone in .mx", mexico, domain=".mx")
    made = set_default_team(organization=acme, team=sul)
    assert list(RoutingRule.objects.values_list("name", flat=True)) == [
        "Acme WhatsApp",
        made.name,
        "Everyone in .mx",
    ]


# --- reassigning and re-routing ---------------------------------------------------------------------------


def test_an_agent_reassigns_a_contact_with_a_reason_and_it_is_recorded(sul, mexico, acme):
    rule("Acme", sul, organizations=[acme])
    contact = ContactFactory(organization=acme)
    route(contact=contact)
    agent = AgentFactory(username="carla")
    moved = reassign(contact=contact, team_id=mexico.pk, actor=agent, reason="  Speaks Spanish only ")
    assert (moved.team, moved.kind, moved.routed_by, moved.reason) == (
        mexico,
        RouteKind.REASSIGNED,
        agent,
        "Speaks Spanish only",
    )
    change = RouteChange.objects.get()
    assert (change.from_team_name, change.from_rule_name, change.to_team_name, change.actor) == (
        "Equipe Sul",
        "Acme",
        "Soporte México",
        agent,
    )


@pytest.mark.parametrize(
    ("team", "reason", "message"),
    [
        ("mexico", "", "Say why"),
        ("mexico", "x" * 501, "under 500"),
        ("gone", "because", "team no longer exists"),
        ("sul", "because", "already with Equipe Sul"),
    ],
)
def test_a_bad_reassignment_is_refused_and_changes_nothing(sul, mexico, acme, team, reason, message):
    rule("Acme", sul, organizations=[acme])
    contact = ContactFactory(organization=acme)
    route(contact=contact)
    team_id = {"mexico": mexico.pk, "sul": sul.pk, "gone": 987654}[team]
    with pytest.raises(RoutingError, match=message):
        reassign(contact=contact, team_id=team_id, actor=AgentFactory(), reason=reason)
    assert ContactRoute.objects.get(contact=contact).team == sul
    assert not RouteChange.objects.exists()


def test_rerouting_moves_only_the_open_contacts_whose_team_changes_and_counts_them(sul, mexico, acme):
    acme_rule = rule("Acme", sul, organizations=[acme])
    open_ = [ContactFactory(organization=acme, status=s) for s in (ContactStatus.NEW, ContactStatus.PENDING)]
    closed = ContactFactory(organization=acme, status=ContactStatus.CLOSED)
    elsewhere = ContactFactory(organization=OrganizationFactory())
    for contact in [*open_, closed, elsewhere]:
        route(contact=contact)
    unrouted = ContactFactory(organization=acme, status=ContactStatus.OPEN)  # from before routing existed
    update_rule(rule=acme_rule, data=RuleInput(name="Acme", team_id=mexico.pk, organization_ids=(acme.pk,)))

    preview = reroute_preview(organization=acme)
    assert (preview.open_contacts, preview.moving) == (3, 3)
    admin = AgentFactory(username="root")
    assert reroute_open_contacts(organization=acme, actor=admin) == 3

    teams = dict(ContactRoute.objects.values_list("contact_id", "team__name"))
    assert [teams[c.pk] for c in [*open_, unrouted]] == ["Soporte México"] * 3
    assert (teams[closed.pk], teams[elsewhere.pk]) == ("Equipe Sul", None)
    assert RouteChange.objects.filter(kind=RouteKind.REROUTED, actor=admin).count() == 3
    assert reroute_open_contacts(organization=acme, actor=admin) == 0  # nothing left to move
    assert RouteChange.objects.count() == 3


def test_rerouting_decides_as_routing_does_for_every_condition(sul, mexico, acme):
    """The SQL CASE of a re-route and the in-memory rules of intake give the same team to the same contacts."""
    rule("Acme WhatsApp", mexico, organizations=[acme], channel="whatsapp")
    rule("Gold", mexico, enduser_tag="gold")
    rule("Mexico", mexico, domain=".mx", organization_tag="vip")
    rule("VIP", sul, organization_tag="vip")
    gold = EndUserFactory(tags=["gold", "new"])
    mx = IdentityFactory(value="ana@correo.com.mx")
    contacts = [
        ContactFactory(organization=acme, channel="whatsapp"),
        ContactFactory(organization=acme, requester=gold),
        ContactFactory(organization=acme, requester=mx.user, via_identity=mx),
        ContactFactory(organization=acme),
    ]
    expected = {c.pk: route(contact=c).rule_name for c in contacts}
    assert list(expected.values()) == ["Acme WhatsApp", "Gold", "Mexico", "VIP"]
    ContactRoute.objects.all().delete()
    reroute_open_contacts(organization=acme, actor=None)
    assert dict(ContactRoute.objects.values_list("contact_id", "rule_name")) == expected


def test_rerouting_a_deleted_organization_is_refused(sul):
    gone = OrganizationFactory()
    gone.delete()
    with pytest.raises(RoutingError, match="no longer exists"):
        reroute_open_contacts(organization=gone, actor=None)
