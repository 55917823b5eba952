"""Logging calls in Chromium: a new caller whose name matches an existing profile, a known caller, a walk-in.

The issue's story: the agent opens "Log a call", types a new caller's number and
name, sees the existing namesake in the live match panel ("have you contacted us
before?"), is stopped on submit until they tick "different person", and then
finds the call on the new profile's timeline.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from profiles.models import Contact, EndUser
from profiles.services.identities import add_identity
from tests.e2e.conftest import PASSWORD, log_in
from tests.factories import AgentFactory, EndUserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def brazilian_desk(settings):
    """Numbers typed without +55 are read as Brazilian; the live server runs in this process and sees it."""
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "BR"


@pytest.fixture
def ana(roles) -> EndUser:
    ana = EndUserFactory(name="Ana Souza")
    add_identity(user=ana, kind="phone", value="+55 11 98765-4321")
    return ana


@pytest.fixture
def logged_in(page: Page, roles) -> Page:
    AgentFactory(username="agent", password=PASSWORD)
    return log_in(page, "agent")


def open_log_a_call(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log a call").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a call")


def timeline(page: Page):
    return page.get_by_role("region", name="Contacts across all channels")


def test_a_new_caller_whose_name_matches_is_asked_then_created_with_the_call(logged_in: Page, live_server, ana):
    page = logged_in
    open_log_a_call(page)
    matches = page.get_by_role("complementary", name="Have you contacted us before?")
    expect(matches).to_contain_text("Type the caller's number, name or email")

    page.get_by_label("Caller's number").press_sequentially("(21) 99876-5432")
    page.get_by_label("Name", exact=True).press_sequentially("ana souza")

    # The live check (a fetch to /users/match/) lists the namesake before any submit.
    match = matches.get_by_role("listitem").filter(has=page.get_by_role("link", name="Ana Souza"))
    expect(match).to_contain_text("similar name (100% alike)")
    expect(match).to_contain_text("Ask: have you contacted us before?")
    expect(match.get_by_role("link", name="Log on this profile")).to_have_attribute(
        "href", f"/users/{ana.pk}/log/?phone=%2821%29+99876-5432&channel=voice"
    )

    page.get_by_label("Subject").fill("Invoice question")
    page.get_by_label("Summary").fill("Asked why the invoice doubled.")
    page.get_by_role("button", name="Log call").click()

    expect(page.get_by_role("alert")).to_contain_text("Profiles with a similar name exist")
    confirm = page.get_by_label("I asked, and this is a different person")
    expect(confirm).not_to_be_checked()
    assert EndUser.objects.count() == 1 and not Contact.objects.exists()

    confirm.check()
    page.get_by_role("button", name="Log call").click()

    created = EndUser.objects.exclude(pk=ana.pk).get()
    expect(page).to_have_url(f"{live_server.url}/users/{created.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Created ana souza's profile and logged the phone call.")
    expect(page.get_by_role("status")).to_contain_text("Ask for an email: it is the best follow-up channel.")
    call = timeline(page).get_by_role("listitem").filter(has_text="Invoice question")
    expect(call).to_contain_text("Phone call")
    expect(call).to_contain_text("via (21) 99876-5432")
    expect(call).to_contain_text("Asked why the invoice doubled.")


def test_a_known_caller_is_logged_on_their_profile_from_the_match_panel(logged_in: Page, live_server, ana):
    page = logged_in
    open_log_a_call(page)
    page.get_by_label("Caller's number").press_sequentially("11 98765 4321")
    match = page.get_by_role("complementary").get_by_role("listitem").filter(has_text="Ana Souza")
    expect(match).to_contain_text("the call will be logged on this profile")
    match.get_by_role("link", name="Log on this profile").click()

    expect(page).to_have_url(f"{live_server.url}/users/{ana.pk}/log/?phone=11+98765+4321&channel=voice")
    expect(page.get_by_label("Came through")).to_have_value(str(ana.identities.get().pk))
    expect(page.get_by_text("Ask for an email: it is the best follow-up channel.")).to_be_visible()
    page.get_by_label("Summary").fill("Wants to change the delivery address.")
    page.get_by_label("Email (optional)").fill("ana@example.com")
    page.get_by_role("button", name="Log contact").click()

    expect(page).to_have_url(f"{live_server.url}/users/{ana.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Logged the phone call on Ana Souza's profile.")
    expect(page.get_by_role("status")).not_to_contain_text("Ask for an email")
    expect(timeline(page)).to_contain_text("Wants to change the delivery address.")
    expect(page.get_by_role("region", name="Contact points")).to_contain_text("ana@example.com")


def test_a_walk_in_is_logged_from_the_profile_page(logged_in: Page, live_server, ana):
    page = logged_in
    page.goto(f"/users/{ana.pk}/")
    page.get_by_role("main").get_by_role("link", name="Log a call").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a contact with Ana Souza")
    page.get_by_label("Walk-in").check()
    page.get_by_label("Summary").fill("Brought the broken charger back.")
    page.get_by_role("button", name="Log contact").click()

    expect(page).to_have_url(f"{live_server.url}/users/{ana.pk}/")
    walk_in = timeline(page).get_by_role("listitem").filter(has_text="Brought the broken charger back.")
    expect(walk_in).to_contain_text("Walk-in")
    expect(walk_in).to_contain_text("in person")
