"""The routing story in Chromium: teams, rules, contacts landing in the right team's view, a re-route."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from intake.services.contacts import record_contact
from organizations.routing import rules as compiled
from organizations.routing.models import ContactRoute
from profiles.services.identities import add_identity
from tests.e2e.test_login import PASSWORD, log_in
from tests.factories import AdminFactory, EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def admin_user(roles):
    return AdminFactory(username="admin", password=PASSWORD)


@pytest.fixture
def acme(roles):
    compiled.forget()
    acme = OrganizationFactory(name="Acme")
    ana = EndUserFactory(name="Ana Souza")
    add_identity(user=ana, kind="email", value="ana@acme.example")
    MembershipFactory(user=ana, organization=acme, is_default=True)
    yield acme
    compiled.forget()


def shoot(page: Page, tmp_path, name: str) -> None:
    """Screenshots at a desktop and a phone width, kept in pytest's tmp_path for a person to look at."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def create_team(page: Page, name: str) -> None:
    page.goto("/teams/")
    page.get_by_role("link", name="New team").first.click()
    expect(page.get_by_label("Name")).to_be_focused()
    page.keyboard.type(name)
    page.get_by_label("admin").check()
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("status")).to_contain_text(f"Created the team {name}.")


def add_rule(page: Page, name: str, team: str, **fields: str) -> None:
    page.goto("/routing/rules/")
    page.get_by_role("link", name="Add a rule").first.click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Route to team").select_option(label=team)
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Add the rule").click()
    expect(page.get_by_role("status")).to_contain_text(f"Added the rule '{name}'")


def test_an_admin_routes_acme_and_mexico_to_their_teams_and_reroutes(page: Page, admin_user, acme, tmp_path):
    log_in(page, "admin", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teams").click()
    expect(page.get_by_role("heading", name="No teams yet")).to_be_visible()
    create_team(page, "Equipe Sul")
    create_team(page, "Soporte México")

    add_rule(page, "Acme and its domains", "Equipe Sul", Organizations="Acme")
    add_rule(page, "Every .mx", "Soporte México", Domain=".mx")
    expect(page.locator(".routing-rule")).to_have_count(2)
    shoot(page, tmp_path, "rules")

    # Contacts arrive as connectors send them.
    acme_contact = record_contact(channel="email", contact_point="ana@acme.example", source_ref="e2e-1").contact_id
    mx_contact = record_contact(channel="email", contact_point="pedro@tienda.com.mx", source_ref="e2e-2").contact_id

    page.goto("/contacts/mine/")
    page.get_by_label("Team").select_option(label="Equipe Sul")
    page.get_by_role("button", name="Show").click()
    rows = page.locator(".routing-contacts tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ana Souza")
    expect(rows.first).to_contain_text("by rule 'Acme and its domains'")
    shoot(page, tmp_path, "mine")
    page.get_by_label("Team").select_option(label="Soporte México")
    page.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("by rule 'Every .mx'")

    # The profile timeline names the rule.
    rows.first.get_by_role("link").first.click()
    expect(page.locator(".timeline__routing")).to_contain_text("routed to Soporte México by rule 'Every .mx'")

    # Acme now goes to Soporte México: its default team, then re-route its open contacts after a confirmation.
    page.goto(f"/organizations/{acme.pk}/routing/")
    expect(page.locator(".lead")).to_contain_text("Its contacts go to Equipe Sul by rule 'Acme and its domains'.")
    page.get_by_label("Default team", exact=True).select_option(label="Soporte México")
    page.get_by_role("button", name="Save default team").click()
    expect(page.get_by_role("status")).to_contain_text("New contacts of Acme go to Soporte México.")
    shoot(page, tmp_path, "organization")
    page.get_by_role("link", name="Re-route the open contacts…").click()
    expect(page.get_by_text("It has 1 open contact")).to_be_visible()
    shoot(page, tmp_path, "reroute")
    page.get_by_role("button", name="Re-route 1 contact").click()
    expect(page.get_by_role("status")).to_contain_text("Re-routed the open contacts of Acme: 1 changed team.")

    assert ContactRoute.objects.get(contact_id=acme_contact).team_name == "Soporte México"
    assert ContactRoute.objects.get(contact_id=mx_contact).team_name == "Soporte México"
    page.goto("/contacts/mine/?team=" + str(ContactRoute.objects.get(contact_id=mx_contact).team_id))
    expect(page.locator(".routing-contacts tbody tr")).to_have_count(2)
    page.goto("/teams/")
    shoot(page, tmp_path, "teams")
    page.get_by_role("link", name="Soporte México").click()
    expect(page.get_by_role("heading", name="Organizations it serves")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Acme")
    shoot(page, tmp_path, "team")
