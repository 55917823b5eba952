"""Logging in and out with real clicks and keystrokes in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import AgentFactory

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"


@pytest.fixture
def agent(roles):
    """The agent persona of tests/conftest.py, created only once the roles exist again (see `roles`)."""
    return AgentFactory(username="agent", password=PASSWORD)


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def expect_logged_out(page: Page, base_url: str) -> None:
    page.goto("/")
    expect(page).to_have_url(f"{base_url}/login/?next=/")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_agent_logs_in_and_sees_the_navigation(page: Page, live_server, agent):
    log_in(page, "agent", PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="Main")
    for name in ["Home", "Users", "Organizations", "Duplicates", "Admin"]:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(nav.get_by_text("agent", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Good to see you, agent")


def test_wrong_password_shows_an_error_and_stays_logged_out(page: Page, live_server, agent):
    log_in(page, "agent", "not the password")

    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username and password")
    # The username is kept so only the password has to be typed again.
    expect(page.get_by_label("Username")).to_have_value("agent")
    expect(page.get_by_label("Password")).to_have_value("")
    expect_logged_out(page, live_server.url)


def test_login_form_works_with_the_keyboard_alone(page: Page, live_server, agent):
    page.goto("/login/")
    username = page.get_by_label("Username")
    password = page.get_by_label("Password")

    expect(username).to_be_focused()
    page.keyboard.type("agent")
    page.keyboard.press("Tab")
    expect(password).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_log_out_button_returns_to_the_login_page(page: Page, live_server, agent):
    log_in(page, "agent", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")

    page.get_by_role("button", name="Log out").click()

    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.get_by_label("Username")).to_be_visible()
    expect_logged_out(page, live_server.url)
