"""Merging duplicates in Chromium, and undoing the merge.

The issue's story: an agent selects three profiles of one customer in the
directory, keeps a profile other than the one proposed, keeps another profile's
name, merges, and sees every contact on the kept profile; an admin opens the merge
in the merge history (/merges/), sees what it moved, confirms its Undo, and the
three profiles are back, each with its own name, contact points and contacts.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from profiles.models import EndUser, MergeRecord
from profiles.services.identities import add_identity
from tests.e2e.conftest import PASSWORD, log_in
from tests.factories import AdminFactory, AgentFactory, ContactFactory, EndUserFactory

pytestmark = pytest.mark.e2e


def customer(name: str, kind: str, value: str, subjects: list[str]) -> EndUser:
    """A profile with one contact point and a contact per subject, the first the newest."""
    user = EndUserFactory(name=name)
    identity = add_identity(user=user, kind=kind, value=value)
    now = timezone.now()
    for n, subject in enumerate(subjects):
        ContactFactory(requester=user, via_identity=identity, subject=subject, created_at=now - timedelta(hours=n))
    return user


# The same customer three times: the profile with the most contacts is the one the page proposes to keep.
ORDERS = ["Order 1001 is late", "Change the delivery address"]
REFUND = ["Refund by phone"]
COUPON = ["Coupon does not apply"]
EVERY_SUBJECT = [*ORDERS, *REFUND, *COUPON]
EVERY_CONTACT_POINT = ["ana@example.com", "+55 11 98765-4321", "ana.s@example.net"]


@pytest.fixture
def ana(roles) -> EndUser:
    return customer("Ana Souza", "email", "ana@example.com", ORDERS)


@pytest.fixture
def a_souza(roles) -> EndUser:
    return customer("A. Souza", "phone", "+55 11 98765-4321", REFUND)


@pytest.fixture
def ana_s(roles) -> EndUser:
    return customer("Ana S.", "email", "ana.s@example.net", COUPON)


@pytest.fixture
def staff(roles) -> None:
    AgentFactory(username="agent", password=PASSWORD)
    AdminFactory(username="admin", password=PASSWORD)


def row_of(page: Page, name: str):
    return page.get_by_role("table").get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))


def timeline(page: Page):
    return page.get_by_role("region", name="Contacts across all channels")


def contact_point(page: Page, value: str):
    return page.get_by_role("region", name="Contact points").get_by_role("listitem").filter(has_text=value)


def expect_profile(page: Page, user: EndUser, name: str, own_point: str, subjects: list[str]) -> None:
    """The live profile `user` shows `name`, exactly its contact point and exactly the contacts `subjects`."""
    page.goto(f"/users/{user.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("note").filter(has_text="This profile was merged into")).to_have_count(0)
    for value in EVERY_CONTACT_POINT:
        expect(contact_point(page, value)).to_have_count(1 if value == own_point else 0)
    expect(timeline(page)).to_contain_text(f"{len(subjects)} in all")
    for subject in EVERY_SUBJECT:
        expect(timeline(page).get_by_text(subject, exact=True)).to_have_count(1 if subject in subjects else 0)


def test_an_agent_merges_three_profiles_as_chosen_and_an_admin_undoes_it(
    page: Page, live_server, staff, ana, a_souza, ana_s
):
    log_in(page, "agent")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users", exact=True).click()
    for name in ("Ana Souza", "A. Souza", "Ana S."):
        row_of(page, name).get_by_role("checkbox").check()
    bulk = page.get_by_role("group", name="Bulk actions on selected rows")
    bulk.get_by_label("With selected").select_option("merge")
    bulk.get_by_role("button", name="Apply to selected").click()

    # Proposed: Ana Souza (most contacts). The agent keeps Ana S. instead, with Ana Souza's name.
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge 3 profiles")
    expect(page.get_by_role("region", name="Ana Souza", exact=True)).to_contain_text("kept")
    page.get_by_role("region", name="Ana S.", exact=True).get_by_role("link", name="Keep this one instead").click()
    expect(page.get_by_role("region", name="Ana S.", exact=True)).to_contain_text("kept")
    expect(
        page.get_by_role("region", name="Ana Souza", exact=True).get_by_role("link", name="Keep this one instead")
    ).to_be_visible()
    expect(page.get_by_label(f"Ana S. — #{ana_s.pk}")).to_be_checked()  # the kept profile's name by default
    expect(
        page.get_by_text("2 contact points, 3 contacts and 0 organization memberships from 2 profiles")
    ).to_be_visible()
    page.get_by_label(f"Ana Souza — #{ana.pk}").check()
    page.get_by_role("button", name=f"Merge into #{ana_s.pk}").click()

    expect(page).to_have_url(f"{live_server.url}/users/{ana_s.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Merged 2 profile(s) into Ana Souza.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Souza")
    expect(timeline(page)).to_contain_text("4 in all")
    for subject in EVERY_SUBJECT:
        expect(timeline(page).get_by_text(subject, exact=True)).to_be_visible()
    for value in EVERY_CONTACT_POINT:
        expect(contact_point(page, value)).to_be_visible()
    history = page.get_by_role("region", name="Merge history")
    expect(history).to_contain_text("by agent · 2 profiles")
    expect(history.get_by_role("button", name="Undo")).to_have_count(0)  # agents merge; only admins undo
    page.goto(f"/users/{ana.pk}/")
    expect(page.get_by_role("note")).to_contain_text("This profile was merged into Ana Souza")

    page.get_by_role("button", name="Log out").click()
    log_in(page, "admin")
    record = MergeRecord.objects.get()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Merges").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge history")
    row = page.get_by_role("table").get_by_role("row").filter(has=page.get_by_role("link", name=f"#{record.pk}"))
    expect(row.get_by_role("cell", name="agent", exact=True)).to_be_visible()
    # The kept profile (Ana S., now named Ana Souza) and both merged-away profiles, each linked.
    for user, name in ((ana_s, "Ana Souza"), (ana, "Ana Souza"), (a_souza, "A. Souza")):
        expect(row.locator(f'a[href="/users/{user.pk}/"]')).to_have_text(name)
    row.get_by_role("link", name=f"#{record.pk}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Merge #{record.pk}")
    moved = page.get_by_role("region", name="Contact points")
    for value in ("ana@example.com", "+55 11 98765-4321"):
        expect(moved).to_contain_text(value)
    page.get_by_role("link", name="Undo this merge").click()
    confirmation = page.get_by_role("region", name=f"Undo merge #{record.pk}?")
    expect(confirmation).to_contain_text("Changes made to Ana Souza since the merge are kept.")
    confirmation.get_by_role("button", name=f"Yes, undo merge #{record.pk}").click()

    expect(page).to_have_url(f"{live_server.url}/merges/{record.pk}/")
    expect(page.get_by_role("status")).to_contain_text("undone: 2 profile(s) restored.")
    expect(page.get_by_role("note")).to_contain_text("Undone on")
    expect(page.get_by_role("note")).to_contain_text("by admin")
    expect(page.get_by_role("link", name="Undo this merge")).to_have_count(0)
    expect_profile(page, ana_s, "Ana S.", "ana.s@example.net", COUPON)
    expect_profile(page, ana, "Ana Souza", "ana@example.com", ORDERS)
    expect_profile(page, a_souza, "A. Souza", "+55 11 98765-4321", REFUND)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users", exact=True).click()
    for name in ("Ana Souza", "A. Souza", "Ana S."):
        expect(row_of(page, name)).to_be_visible()
