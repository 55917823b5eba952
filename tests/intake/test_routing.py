"""Every intake path routes the contact it creates, once; replays route nothing; merges keep each contact's team."""

from __future__ import annotations

import pytest

from intake.services.contacts import record_contact
from intake.services.manual_contacts import log_contact_by_hand, log_contact_for_caller
from organizations.routing.models import ContactRoute, RouteKind
from organizations.routing.services import RuleInput, create_rule, create_team
from organizations.services.domains import add_domain, set_auto_assign
from profiles.merges.services import merge, unmerge
from profiles.models import Contact
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(db):
    acme = OrganizationFactory(name="Acme")
    sul, mexico = create_team(name="Equipe Sul"), create_team(name="Soporte México")
    create_rule(data=RuleInput(name="Acme and its domains", team_id=sul.pk, organization_ids=(acme.pk,)))
    create_rule(data=RuleInput(name="Every .mx", team_id=mexico.pk, domain=".mx"))
    create_rule(data=RuleInput(name="Gold customers", team_id=mexico.pk, enduser_tag="gold"))
    return acme, sul, mexico


def route_of(contact_id: int) -> tuple[str, str, str]:
    route = ContactRoute.objects.get(contact_id=contact_id)
    return route.team_name, route.rule_name, route.kind


def test_a_known_customer_contact_is_routed_by_its_organization(teams):
    acme, _, _ = teams
    ana = EndUserFactory()
    add_identity(user=ana, kind="email", value="ana@example.com")
    MembershipFactory(user=ana, organization=acme, is_default=True)
    result = record_contact(channel="email", contact_point="ana@example.com", source_ref="m1")
    assert route_of(result.contact_id) == ("Equipe Sul", "Acme and its domains", RouteKind.RULE)


def test_a_new_customer_from_a_mx_address_is_routed_by_the_domain(teams):
    result = record_contact(channel="email", contact_point="pedro@tienda.com.mx", source_ref="m1")
    assert result.created_user
    assert route_of(result.contact_id) == ("Soporte México", "Every .mx", RouteKind.RULE)


def test_a_new_customer_auto_assigned_to_acme_is_routed_to_acme_team(teams):
    acme, _, _ = teams
    domain = add_domain(organization=acme, domain="acme.com")
    set_auto_assign(domain=domain, enabled=True)
    result = record_contact(channel="email", contact_point="joao@acme.com", source_ref="m1")
    assert route_of(result.contact_id)[:2] == ("Equipe Sul", "Acme and its domains")


def test_a_known_customer_tags_come_from_intake_lookup(teams):
    gold = EndUserFactory(tags=["gold"])
    add_identity(user=gold, kind="phone", value="+5511987654321")
    result = record_contact(channel="sms", contact_point="+5511987654321", source_ref="s1")
    assert route_of(result.contact_id)[1] == "Gold customers"


def test_a_contact_no_rule_matches_is_recorded_with_no_team(teams):
    result = record_contact(channel="web_chat", contact_point="visitor-1", source_ref="c1")
    assert route_of(result.contact_id) == ("", "", RouteKind.NO_MATCH)


def test_a_replay_is_not_routed_twice(teams):
    first = record_contact(channel="email", contact_point="pedro@tienda.com.mx", source_ref="m1")
    again = record_contact(channel="email", contact_point="pedro@tienda.com.mx", source_ref="m1")
    assert again.replay and again.contact_id == first.contact_id
    assert ContactRoute.objects.count() == 1


def test_routing_a_known_customer_costs_one_insert_once_the_rules_are_compiled(teams, django_assert_num_queries):
    acme, _, _ = teams
    ana = EndUserFactory()
    add_identity(user=ana, kind="email", value="ana@example.com")
    MembershipFactory(user=ana, organization=acme, is_default=True)
    record_contact(channel="email", contact_point="ana@example.com", source_ref="warm-up")  # compiles the rules
    # lookup; SAVEPOINT, INSERT contact, INSERT route (checking the rules' stamp), RELEASE
    with django_assert_num_queries(5):
        result = record_contact(channel="email", contact_point="ana@example.com", source_ref="m2")
    assert route_of(result.contact_id)[0] == "Equipe Sul"


def test_a_rule_changed_by_another_process_is_seen_by_the_next_contact(teams, django_assert_num_queries):
    from organizations.routing.models import RoutingRule, RoutingState, Team

    acme, _, mexico = teams
    ana = EndUserFactory()
    add_identity(user=ana, kind="email", value="ana@example.com")
    MembershipFactory(user=ana, organization=acme, is_default=True)
    record_contact(channel="email", contact_point="ana@example.com", source_ref="warm-up")  # compiles the rules
    # Another process changes the rule: its new team and stamp are in the database, not in this cache.
    RoutingRule.objects.filter(name="Acme and its domains").update(team=mexico)
    RoutingState.objects.filter(id=1).update(stamp="changed-elsewhere")
    result = record_contact(channel="email", contact_point="ana@example.com", source_ref="m2")
    assert route_of(result.contact_id)[0] == Team.objects.get(pk=mexico.pk).name == "Soporte México"


def test_a_call_logged_by_hand_is_routed(teams, agent):
    acme, _, _ = teams
    ana = EndUserFactory()
    MembershipFactory(user=ana, organization=acme, is_default=True)
    logged = log_contact_by_hand(user=ana, channel="voice", summary="Billing", phone="+5511987654321", actor=agent)
    assert route_of(logged.contact.pk)[:2] == ("Equipe Sul", "Acme and its domains")
    caller = log_contact_for_caller(name="Pedro", channel="voice", summary="Hola", email="pedro@tienda.com.mx")
    assert route_of(caller.contact.pk)[:2] == ("Soporte México", "Every .mx")


def test_a_refused_call_writes_no_route(teams, agent):
    from profiles.errors import ProfileError

    ana = EndUserFactory()
    with pytest.raises(ProfileError):
        log_contact_by_hand(user=ana, channel="voice", summary="  ", actor=agent)
    assert not ContactRoute.objects.exists()


def test_merging_and_unmerging_profiles_keeps_each_contact_team(teams, agent):
    acme, _, _ = teams
    ana = EndUserFactory()
    add_identity(user=ana, kind="email", value="ana@example.com")
    MembershipFactory(user=ana, organization=acme, is_default=True)
    pedro = EndUserFactory()
    add_identity(user=pedro, kind="email", value="pedro@tienda.com.mx")
    to_sul = record_contact(channel="email", contact_point="ana@example.com", source_ref="a").contact_id
    to_mexico = record_contact(channel="email", contact_point="pedro@tienda.com.mx", source_ref="p").contact_id
    before = {to_sul: route_of(to_sul), to_mexico: route_of(to_mexico)}

    record = merge(survivor=ana, others=[pedro], actor=agent)
    assert Contact.objects.get(pk=to_mexico).requester == ana
    assert {pk: route_of(pk) for pk in before} == before

    unmerge(merge_record=record, actor=agent)
    assert Contact.objects.get(pk=to_mexico).requester == pedro
    assert {pk: route_of(pk) for pk in before} == before
