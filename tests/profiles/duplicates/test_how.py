"""The admins' page on how duplicates are found: the rules in force, the desk's names, the reviewers' verdicts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from profiles.duplicates.overview import overview
from profiles.duplicates.scan import scan
from profiles.models import CandidateStatus, DuplicateCandidate
from tests.factories import EndUserFactory

pytestmark = pytest.mark.django_db

HOW = reverse("profiles:duplicates_how")


def reviewed(score: int, status: str) -> DuplicateCandidate:
    low, high = sorted((EndUserFactory(), EndUserFactory()), key=lambda user: user.pk)
    return DuplicateCandidate.objects.create(
        low=low, high=high, score=score, reasons=[], status=status, reviewed_at=timezone.now()
    )


def test_the_verdicts_are_the_share_of_reviewed_pairs_that_were_merged_by_tier_and_band():
    for score, status in [(95, "merged"), (92, "merged"), (65, "merged"), (61, "dismissed"), (50, "dismissed")]:
        reviewed(score, status)
    open_low, open_high = sorted((EndUserFactory(), EndUserFactory()), key=lambda user: user.pk)
    DuplicateCandidate.objects.create(low=open_low, high=open_high, score=99, reasons=[])  # open: no verdict

    view = overview()

    assert (view.likely_verdicts.merged, view.likely_verdicts.dismissed) == (3, 1)
    assert view.likely_verdicts.precision == 0.75
    assert (view.possible_verdicts.merged, view.possible_verdicts.dismissed) == (0, 1)
    assert [(band.low, band.high, band.merged, band.dismissed) for band in view.bands] == [
        (90, 100, 2, 0),
        (80, 89, 0, 0),
        (70, 79, 0, 0),
        (60, 69, 1, 1),
        (50, 59, 0, 1),
        (45, 49, 0, 0),
    ]


def test_admins_read_the_page_with_the_desks_commonest_names(admin_client):
    for name in ["Maria Silva", "Maria Silva", "Ana Souza"]:
        EndUserFactory(name=name)
    scan()
    reviewed(80, CandidateStatus.MERGED)

    page = admin_client.get(HOW).content.decode()

    assert "How duplicates are found" in page
    assert '<td>maria silva</td><td class="num">2</td>' in page
    assert "Likely (60\u2013100)" in page and "100%" in page
    assert "Different external ids are <strong>no evidence</strong>" in page


def test_before_any_review_or_scan_the_page_says_what_fills_it(admin_client):
    page = admin_client.get(HOW).content.decode()

    assert "No pair has been reviewed yet." in page
    assert "No names counted yet." in page
    assert "python manage.py find_duplicates" in page


def test_agents_cannot_read_it(agent_client):
    assert agent_client.get(HOW).status_code == 403


def test_the_queue_links_to_it_for_admins_only(admin_client, agent_client):
    assert HOW in admin_client.get(reverse("profiles:duplicates")).content.decode()
    assert HOW not in agent_client.get(reverse("profiles:duplicates")).content.decode()


def test_the_verdicts_suggest_the_lowest_threshold_from_which_reviewers_merged_19_pairs_in_20(admin_client):
    for _ in range(30):
        reviewed(70, CandidateStatus.MERGED)
    for _ in range(19):
        reviewed(52, CandidateStatus.MERGED)
    reviewed(52, CandidateStatus.DISMISSED)
    for _ in range(3):
        reviewed(47, CandidateStatus.DISMISSED)

    suggested = overview().suggested
    page = admin_client.get(HOW).content.decode()

    # From 52 up: 49 of 50 merged (98%); from 47 up: 49 of 53 (92%), below the target.
    assert (suggested.threshold, suggested.reviewed, suggested.merged) == (52, 50, 49)
    assert "support a likely threshold of 52" in page
    assert "ZDUSERS_DUPLICATE_THRESHOLD=52" in page


def test_too_few_verdicts_suggest_no_threshold(admin_client):
    for _ in range(29):
        reviewed(90, CandidateStatus.MERGED)

    assert overview().suggested.threshold is None
    assert "No threshold can be suggested yet: it takes 30 reviewed pairs" in admin_client.get(HOW).content.decode()
