"""The Django admin for teams and rules writes through the routing services; refusals are form errors."""

from __future__ import annotations

import pytest

from organizations.routing import rules as compiled
from organizations.routing.models import RoutingRule, Team
from organizations.routing.services import route
from tests.factories import ContactFactory, OrganizationFactory
from tests.organizations.routing.conftest import rule

pytestmark = pytest.mark.django_db


def test_a_team_added_in_the_admin_goes_through_the_service(superuser_client, agent):
    response = superuser_client.post(
        "/admin/organizations/team/add/", {"name": "  Equipe   Sul ", "description": "", "members": [agent.pk]}
    )
    assert response.status_code == 302
    team = Team.objects.get()
    assert (team.name, list(team.members.all())) == ("Equipe Sul", [agent])


def test_a_duplicate_team_name_is_a_form_error_in_the_admin(superuser_client, sul):
    response = superuser_client.post("/admin/organizations/team/add/", {"name": "equipe sul", "description": ""})
    assert response.status_code == 200
    assert "already a team named Equipe Sul" in response.content.decode()
    assert Team.objects.count() == 1


def test_a_rule_added_in_the_admin_is_numbered_and_routes_at_once(superuser_client, sul, acme):
    route(contact=ContactFactory())  # compiles the (empty) rules in this process
    response = superuser_client.post(
        "/admin/organizations/routingrule/add/",
        {"name": "Acme", "team": sul.pk, "organizations": [acme.pk], "channel": ""},
    )
    assert response.status_code == 302
    assert list(RoutingRule.objects.values_list("name", "position", "by_organization")) == [("Acme", 1, True)]
    assert route(contact=ContactFactory(organization=acme)).team == sul


def test_a_rule_without_condition_is_a_form_error_in_the_admin(superuser_client, sul):
    response = superuser_client.post("/admin/organizations/routingrule/add/", {"name": "All", "team": sul.pk})
    assert response.status_code == 200
    assert "A rule needs at least one condition" in response.content.decode()
    assert not RoutingRule.objects.exists()


def test_the_admin_cannot_delete_a_team_rules_point_at(superuser_client, sul):
    rule("Texts", sul, channel="sms")
    page = superuser_client.get(f"/admin/organizations/team/{sul.pk}/delete/").content.decode()
    assert "Texts" in page and "protected" in page
    superuser_client.post(f"/admin/organizations/team/{sul.pk}/delete/", {"post": "yes"})
    assert Team.objects.filter(pk=sul.pk).exists()


def test_deleting_a_rule_in_the_admin_renumbers_the_others(superuser_client, sul):
    first = rule("One", sul, channel="sms")
    rule("Two", sul, channel="email")
    superuser_client.post(f"/admin/organizations/routingrule/{first.pk}/delete/", {"post": "yes"})
    assert list(RoutingRule.objects.values_list("name", "position")) == [("Two", 1)]


def test_an_organization_tag_changed_in_the_admin_reaches_the_cached_rules(superuser_client, sul):
    rule("VIP", sul, organization_tag="vip")
    globex = OrganizationFactory(name="Globex")
    compiled.forget()
    assert route(contact=ContactFactory(organization=globex)).team is None
    response = superuser_client.post(
        f"/admin/organizations/organization/{globex.pk}/change/",
        {
            "name": "Globex",
            "tags": "vip",
            "external_id": "",
            "details": "",
            "notes": "",
            "domains-TOTAL_FORMS": "0",
            "domains-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert route(contact=ContactFactory(organization=globex)).team == sul
