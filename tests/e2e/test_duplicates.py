"""Reviewing duplicate candidates in Chromium, by keyboard.

The issue's story: an agent opens the queue, compares a pair, marks it "not a
duplicate" (with the `n` shortcut), and the pair is gone — also after a rescan.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from intake.services.new_profiles import NewIdentity, create_profile
from profiles.duplicates import scan as duplicate_scan
from profiles.models import CandidateStatus, DuplicateCandidate, EndUser
from tests.e2e.conftest import PASSWORD, log_in
from tests.factories import AgentFactory

pytestmark = pytest.mark.e2e


def customer(name: str, kind: str, value: str) -> EndUser:
    # live_server tests commit, so create_profile's incremental duplicate check runs as in production.
    return create_profile(name=name, identities=[NewIdentity(kind, value)])


@pytest.fixture
def pairs(roles) -> dict[str, DuplicateCandidate]:
    """Two pairs sharing a phone line (once as WhatsApp): Ana's (same name) scores higher than Bruno's (a typo)."""
    AgentFactory(username="agent", password=PASSWORD)
    ana = customer("Ana Souza", "phone", "+55 11 98765-4321")
    ana_chat = customer("Ana Souza", "whatsapp", "+55 11 98765-4321")
    bruno = customer("Bruno Lima", "phone", "+55 21 99876-5432")
    bruno_typo = customer("Bruno Limma", "whatsapp", "+55 21 99876-5432")
    found = {
        "ana": DuplicateCandidate.objects.get(low=ana, high=ana_chat),
        "bruno": DuplicateCandidate.objects.get(low=bruno, high=bruno_typo),
    }
    assert found["ana"].score > found["bruno"].score
    return found


def queue_row(page: Page, name: str):
    return page.get_by_role("table").get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))


def test_an_agent_dismisses_a_pair_by_keyboard_and_a_rescan_keeps_it_dismissed(page: Page, live_server, pairs):
    ana, bruno = pairs["ana"], pairs["bruno"]
    log_in(page, "agent")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=re.compile(r"^Duplicates.*2"))).to_be_visible()
    nav.get_by_role("link", name=re.compile(r"^Duplicates")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Duplicates")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(3)  # header + two pairs, strongest first
    expect(rows.nth(1)).to_contain_text("Ana Souza")
    expect(rows.nth(2)).to_contain_text("Bruno Limma")
    queue_row(page, "Ana Souza").first.get_by_role("link", name="Compare").click()

    expect(page).to_have_url(f"{live_server.url}/duplicates/{ana.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Same customer?")
    comparison = page.get_by_role("table")
    expect(comparison.get_by_role("row", name=re.compile("^Phone"))).to_contain_text("+55 11 98765-4321")
    expect(comparison.get_by_role("row", name=re.compile("^WhatsApp"))).to_contain_text("+55 11 98765-4321")
    expect(page.get_by_role("region", name=re.compile("^Why"))).to_contain_text("same phone +5511987654321")
    expect(page.get_by_role("link", name="Merge…")).to_have_attribute(
        "href", f"/merge/?users={ana.low_id},{ana.high_id}"
    )

    # j / k walk the queue; n marks the pair shown as not a duplicate and moves on.
    page.keyboard.press("j")
    expect(page).to_have_url(f"{live_server.url}/duplicates/{bruno.pk}/")
    page.keyboard.press("k")
    expect(page).to_have_url(f"{live_server.url}/duplicates/{ana.pk}/")
    page.keyboard.press("n")
    expect(page.get_by_role("status")).to_contain_text("are marked as not duplicates")
    expect(page).to_have_url(f"{live_server.url}/duplicates/{bruno.pk}/")

    nav.get_by_role("link", name=re.compile(r"^Duplicates")).click()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)
    expect(queue_row(page, "Ana Souza")).to_have_count(0)
    expect(queue_row(page, "Bruno Lima")).to_have_count(1)
    expect(nav.get_by_role("link", name=re.compile(r"^Duplicates.*1"))).to_be_visible()

    duplicate_scan.scan(restart=True)
    page.reload()
    expect(queue_row(page, "Bruno Lima")).to_have_count(1)
    expect(queue_row(page, "Ana Souza")).to_have_count(0)
    ana.refresh_from_db()
    assert ana.status == CandidateStatus.DISMISSED and ana.reviewed_by.username == "agent"
