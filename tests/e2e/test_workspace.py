"""The agent workspace in Chromium: find a customer, fix their contact points, create a profile, bulk-tag.

Follows the issue's story: log in as an agent, search by a phone number written
differently from how it is stored, open the profile, add a second email, try to
add an email another profile owns, create a new profile and see the match warning.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from profiles.models import EndUser
from profiles.services.identities import add_identity
from tests.e2e.conftest import PASSWORD, log_in
from tests.factories import AgentFactory, EndUserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def brazilian_desk(settings):
    """Numbers typed without +55 are read as Brazilian; the live server runs in this process and sees it."""
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "BR"


@pytest.fixture
def agent(roles):
    return AgentFactory(username="agent", password=PASSWORD)


@pytest.fixture
def ana(roles) -> EndUser:
    ana = EndUserFactory(name="Ana Souza")
    add_identity(user=ana, kind="phone", value="+55 11 98765-4321")
    add_identity(user=ana, kind="email", value="ana@example.com")
    return ana


@pytest.fixture
def bruno(roles) -> EndUser:
    bruno = EndUserFactory(name="Bruno Lima")
    add_identity(user=bruno, kind="email", value="bruno@example.com")
    return bruno


@pytest.fixture
def joao(roles) -> EndUser:
    return EndUserFactory(name="João Pereira")


@pytest.fixture
def logged_in(page: Page, agent) -> Page:
    """The agent, logged in through the login form."""
    return log_in(page, "agent")


def url_of(live_server, user: EndUser) -> str:
    return f"{live_server.url}/users/{user.pk}/"


def open_users(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")


def search(page: Page, text: str) -> None:
    box = page.get_by_role("searchbox", name="Search customers")
    box.press_sequentially(text)
    box.press("Enter")


def identity_row(page: Page, value: str):
    return page.get_by_role("region", name="Contact points").get_by_role("listitem").filter(has_text=value)


def test_a_phone_written_another_way_jumps_straight_to_its_profile(logged_in: Page, live_server, ana, bruno):
    page = logged_in
    open_users(page)

    search(page, "(11) 98765 4321")

    expect(page).to_have_url(url_of(live_server, ana))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Souza")
    expect(identity_row(page, "+55 11 98765-4321")).to_be_visible()


def test_a_name_typed_without_accents_is_listed_and_opens(logged_in: Page, live_server, ana, bruno, joao):
    page = logged_in
    open_users(page)

    search(page, "joao")

    expect(page).to_have_url(re.compile(r"/users/\?q=joao$"))
    rows = page.get_by_role("table").locator("tbody").get_by_role("row")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name="João Pereira").click()
    expect(page).to_have_url(url_of(live_server, joao))
    expect(page.get_by_role("heading", level=1)).to_have_text("João Pereira")


def test_a_second_email_is_added_and_one_another_profile_owns_is_refused_with_a_link(
    logged_in: Page, live_server, ana, bruno
):
    page = logged_in
    page.goto(f"/users/{ana.pk}/")
    add = page.get_by_role("form", name="Add a contact point")

    add.get_by_label("Kind").select_option(label="Email")
    add.get_by_label("Address, number or handle").press_sequentially("ana.work@example.com")
    add.get_by_role("button", name="Add").click()

    expect(page.get_by_role("status")).to_contain_text("Added email ana.work@example.com.")
    expect(identity_row(page, "ana.work@example.com")).to_be_visible()
    expect(identity_row(page, "ana@example.com")).to_be_visible()

    add.get_by_label("Kind").select_option(label="Email")
    add.get_by_label("Address, number or handle").press_sequentially("bruno@example.com")
    add.get_by_role("button", name="Add").click()

    error = add.get_by_role("alert")
    expect(error).to_contain_text(f"bruno@example.com already belongs to Bruno Lima (#{bruno.pk})")
    expect(identity_row(page, "bruno@example.com")).to_have_count(0)
    error.get_by_role("link", name="Open that profile").click()
    expect(page).to_have_url(url_of(live_server, bruno))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bruno Lima")


def test_making_the_second_email_primary_moves_the_badge(logged_in: Page, live_server, ana):
    add_identity(user=ana, kind="email", value="ana.work@example.com")
    page = logged_in
    page.goto(f"/users/{ana.pk}/")
    first, second = identity_row(page, "ana@example.com"), identity_row(page, "ana.work@example.com")
    expect(first.get_by_text("primary", exact=True)).to_be_visible()
    expect(second.get_by_text("primary", exact=True)).to_have_count(0)

    second.get_by_role("button", name="Make primary").click()

    expect(page.get_by_role("status")).to_contain_text("ana.work@example.com is now the primary email.")
    expect(second.get_by_text("primary", exact=True)).to_be_visible()
    expect(first.get_by_text("primary", exact=True)).to_have_count(0)
    expect(first.get_by_role("button", name="Make primary")).to_be_visible()
    # The phone keeps its own primary: one per kind.
    expect(identity_row(page, "+55 11 98765-4321").get_by_text("primary", exact=True)).to_be_visible()


def test_creating_a_namesake_warns_until_the_agent_confirms_a_different_person(logged_in: Page, live_server, ana):
    page = logged_in
    open_users(page)
    page.get_by_role("link", name="New profile").click()
    expect(page).to_have_url(f"{live_server.url}/users/new/")
    matches = page.get_by_role("complementary", name="Existing profiles that match")
    expect(matches).to_contain_text("Type a name, email or phone")

    page.get_by_label("Name").press_sequentially("ana souza")
    page.get_by_label("Phone").press_sequentially("(21) 99876-5432")

    # Filled by the live check (a fetch to /users/match/) while typing, before any submit.
    match = matches.get_by_role("listitem").filter(has=page.get_by_role("link", name="Ana Souza"))
    expect(match).to_contain_text("similar name (100% alike)")
    expect(match).to_contain_text("have you contacted us before?")
    expect(page).to_have_url(f"{live_server.url}/users/new/")

    page.get_by_role("button", name="Create profile").click()

    expect(page.get_by_role("alert")).to_contain_text("Ask: have you contacted us before?")
    confirm = page.get_by_label("I asked, and this is a different person")
    expect(confirm).not_to_be_checked()
    assert EndUser.objects.count() == 1  # only Ana: nothing was created yet

    confirm.check()
    page.get_by_role("button", name="Create profile").click()

    expect(page.get_by_role("status")).to_contain_text("Created ana souza.")
    created = EndUser.objects.exclude(pk=ana.pk).get()
    expect(page).to_have_url(url_of(live_server, created))
    expect(identity_row(page, "(21) 99876-5432")).to_contain_text("+5521998765432")


def test_bulk_add_tag_to_two_selected_rows(logged_in: Page, live_server, ana, bruno, joao):
    page = logged_in
    open_users(page)
    table = page.get_by_role("table")
    table.get_by_role("row").filter(has_text="Ana Souza").get_by_role("checkbox").check()
    table.get_by_role("row").filter(has_text="Bruno Lima").get_by_role("checkbox").check()

    bulk = page.get_by_role("group", name="Bulk actions on selected rows")
    bulk.get_by_label("With selected").select_option(label="Add tag")
    bulk.get_by_label("Tag").press_sequentially("vip")
    bulk.get_by_role("button", name="Apply to selected").click()

    expect(page.get_by_role("status")).to_contain_text("Tag added to 2 profile(s).")
    expect(page).to_have_url(f"{live_server.url}/users/")
    table.get_by_role("link", name="Ana Souza").click()
    expect(page.get_by_text("#vip", exact=True)).to_be_visible()
    page.go_back()
    table.get_by_role("link", name="João Pereira").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("João Pereira")
    expect(page.get_by_text("#vip", exact=True)).to_have_count(0)
