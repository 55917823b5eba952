"""An admin creates an organization with a domain and bulk-adds members in Chromium, reading the per-line report."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from organizations.models import Membership, Organization
from tests.e2e.test_login import PASSWORD, log_in
from tests.factories import AdminFactory, EndUserFactory, IdentityFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def admin_user(roles):
    return AdminFactory(username="admin", password=PASSWORD)


@pytest.fixture
def customers(roles):
    """Two existing profiles to add by email."""
    ana = IdentityFactory(value="ana.souza@acme-e2e.com", user=EndUserFactory(name="Ana Souza")).user
    bruno = IdentityFactory(value="bruno@acme-e2e.com", user=EndUserFactory(name="Bruno Lima")).user
    return ana, bruno


def test_admin_creates_an_organization_and_bulk_adds_members(page: Page, live_server, admin_user, customers):
    log_in(page, "admin", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organizations").click()
    expect(page.get_by_role("heading", name="No organizations yet")).to_be_visible()
    page.get_by_role("link", name="New organization").click()

    # The name field has focus: type straight away.
    expect(page.get_by_label("Name")).to_be_focused()
    page.keyboard.type("Acme E2E")
    page.get_by_label("Domains").fill("https://www.acme-e2e.com/")
    page.get_by_label("Tags").fill("vip")
    page.get_by_role("button", name="Create organization").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Acme E2E")
    expect(page.get_by_role("status")).to_contain_text("Created Acme E2E.")
    expect(page.locator(".org-header")).to_contain_text("acme-e2e.com")
    expect(page.get_by_role("heading", name="No members yet")).to_be_visible()

    page.locator(".empty").get_by_role("link", name="Add members").click()
    page.get_by_label("Email addresses", exact=True).fill(
        "\n".join(
            [
                "Ana Souza <ANA.SOUZA@acme-e2e.com>",
                "nobody@acme-e2e.com",
                "not an email",
                "bruno@acme-e2e.com; ana.souza@acme-e2e.com",
            ]
        )
    )
    page.get_by_role("button", name="Add these people").click()

    expect(page.get_by_role("status")).to_contain_text("2 member(s) added to Acme E2E")
    report = page.locator("#bulk-report tbody tr")
    expect(report).to_have_count(5)
    expected = [
        ("1", "Added", "Ana Souza"),
        ("2", "No such profile", "no profile has the email nobody@acme-e2e.com"),
        ("3", "Invalid email", "it has no @"),
        ("4", "Added", "Bruno Lima"),
        ("4", "Listed twice", "ana.souza@acme-e2e.com is already on line 1"),
    ]
    for row, (line, outcome, detail) in zip(report.all(), expected, strict=True):
        cells = row.locator("td")
        expect(cells.nth(0)).to_have_text(line)
        expect(cells.nth(2)).to_have_text(outcome)
        expect(cells.nth(3)).to_contain_text(detail)

    page.get_by_role("link", name="See the members").click()
    members = page.locator("table.table tbody tr")
    expect(members).to_have_count(2)
    expect(members.first).to_contain_text("Ana Souza")
    expect(members.first).to_contain_text("This organization")
    organization = Organization.objects.get(name="Acme E2E")
    assert sorted(Membership.objects.filter(organization=organization).values_list("user__name", flat=True)) == [
        "Ana Souza",
        "Bruno Lima",
    ]
