"""The duplicates review queue, the compare page and "not a duplicate".

Candidates come from the real detection: profiles made with create_profile()
sharing a phone line or a mailbox, then a scan.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.services.new_profiles import NewIdentity, create_profile
from organizations.services.memberships import add_member
from profiles.duplicates import scan as duplicate_scan
from profiles.duplicates import services as duplicates
from profiles.duplicates.selectors import candidate_group, open_candidate_count
from profiles.models import CandidateStatus, DuplicateCandidate, EndUser
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("profiles:duplicates")


def customer(name: str, *identities: tuple[str, str], **fields) -> EndUser:
    user = create_profile(name=name, identities=[NewIdentity(kind, value) for kind, value in identities])
    if fields:
        EndUser.objects.filter(pk=user.pk).update(**fields)
        user.refresh_from_db()
    return user


def pair_of(a: EndUser, b: EndUser) -> DuplicateCandidate:
    return DuplicateCandidate.objects.get(low_id=min(a.pk, b.pk), high_id=max(a.pk, b.pk))


def compare_url(candidate: DuplicateCandidate) -> str:
    return reverse("profiles:duplicate", args=[candidate.pk])


def dismiss_url(candidate: DuplicateCandidate) -> str:
    return reverse("profiles:duplicate_dismiss", args=[candidate.pk])


def listed_pairs(response) -> list[tuple[str, str]]:
    """(first name, second name) of each queue row, in page order."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", response.content.decode(), re.S)
    pairs = []
    for row in rows:
        names = re.findall(r'class="dup-profile" href="[^"]+">([^<]+)</a>', row)
        if names:
            pairs.append(tuple(names))
    return pairs


@pytest.fixture
def three_pairs(db) -> dict[str, DuplicateCandidate]:
    """Three unrelated pairs, strongest first: a mailbox with a +tag and the same name; a shared phone line and
    the same name; a shared phone line and alike names."""
    carla = customer("Carla Dias", ("email", "carla@example.com"))
    carla_shop = customer("Carla Dias", ("email", "carla+shop@example.com"))
    ana = customer("Ana Souza", ("phone", "+55 11 98765-4321"))
    ana_chat = customer("Ana Souza", ("whatsapp", "+55 11 98765-4321"))
    bruno = customer("Bruno Lima", ("phone", "+55 21 99876-5432"))
    bruno_typo = customer("Bruno Limma", ("whatsapp", "+55 21 99876-5432"))
    duplicate_scan.scan()
    pairs = {"carla": pair_of(carla, carla_shop), "ana": pair_of(ana, ana_chat), "bruno": pair_of(bruno, bruno_typo)}
    assert pairs["carla"].score > pairs["ana"].score > pairs["bruno"].score, "the scorer's weights changed"
    return pairs


# --- the queue ---------------------------------------------------------------------------------


def test_the_queue_lists_open_candidates_strongest_first(agent_client, three_pairs):
    response = agent_client.get(QUEUE)
    assert listed_pairs(response) == [
        ("Carla Dias", "Carla Dias"),
        ("Ana Souza", "Ana Souza"),
        ("Bruno Lima", "Bruno Limma"),
    ]
    page = response.content.decode()
    assert "same phone +5511987654321" in page  # the top reasons, short
    assert f'href="{compare_url(three_pairs["carla"])}">Compare' in page
    assert f'href="{compare_url(three_pairs["carla"])}">Review the first pair' in page


def test_equal_scores_are_listed_by_id(agent_client, db):
    customer("Dora Reis", ("phone", "+55 31 98888-1111"))
    customer("Dora Reis", ("whatsapp", "+55 31 98888-1111"))
    customer("Eva Reis", ("phone", "+55 31 98888-2222"))
    customer("Eva Reis", ("whatsapp", "+55 31 98888-2222"))
    duplicate_scan.scan()
    candidates = list(DuplicateCandidate.objects.select_related("low").order_by("pk"))
    assert len(candidates) == 2 and candidates[0].score == candidates[1].score
    assert [pair[0] for pair in listed_pairs(agent_client.get(QUEUE))] == [c.low.name for c in candidates]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"reason": "email"}, ["carla"]),
        ({"reason": "phone"}, ["ana", "bruno"]),
        ({"score_min": "ana"}, ["carla", "ana"]),
        ({"score_max": "ana"}, ["ana", "bruno"]),
        ({"score_min": "bruno", "score_max": "ana", "reason": "name"}, ["ana", "bruno"]),
        ({"score_min": "ana", "score_max": "ana"}, ["ana"]),
        ({"status": "dismissed"}, []),
    ],
)
def test_the_queue_filters_by_reason_score_and_status(agent_client, three_pairs, params, expected):
    """Score bounds are given as the pair whose score they take, so the test does not pin the scorer's weights."""
    names = {"carla": "Carla Dias", "ana": "Ana Souza", "bruno": "Bruno Lima"}
    params = {key: three_pairs[value].score if key.startswith("score_") else value for key, value in params.items()}
    response = agent_client.get(QUEUE, params)
    assert response.status_code == 200
    assert [pair[0] for pair in listed_pairs(response)] == [names[key] for key in expected]


def test_the_status_filter_shows_reviewed_pairs_when_asked(agent_client, agent, three_pairs):
    duplicates.dismiss(candidate=three_pairs["bruno"], actor=agent)
    assert [p[0] for p in listed_pairs(agent_client.get(QUEUE))] == ["Carla Dias", "Ana Souza"]
    assert listed_pairs(agent_client.get(QUEUE, {"status": "dismissed"})) == [("Bruno Lima", "Bruno Limma")]
    assert len(listed_pairs(agent_client.get(QUEUE, {"status": "any"}))) == 3


def test_the_organization_filter_takes_a_name_or_an_id(agent_client, three_pairs):
    acme = OrganizationFactory(name="Acme")
    add_member(organization=acme, user=three_pairs["ana"].high)
    for value in ("acme", str(acme.pk)):
        assert listed_pairs(agent_client.get(QUEUE, {"org": value})) == [("Ana Souza", "Ana Souza")]
    response = agent_client.get(QUEUE, {"org": "Nobody Inc"})
    assert "No organization is called" in response.content.decode()
    assert listed_pairs(response) == []


def test_a_reversed_score_range_is_refused_with_a_message(agent_client, three_pairs):
    response = agent_client.get(QUEUE, {"score_min": 90, "score_max": 10})
    assert "The highest score must not be below the lowest." in response.content.decode()
    assert listed_pairs(response) == []


def test_the_organizations_of_both_profiles_are_listed(agent_client, three_pairs):
    add_member(organization=OrganizationFactory(name="Acme"), user=three_pairs["ana"].low)
    add_member(organization=OrganizationFactory(name="Globex"), user=three_pairs["ana"].high)
    row = next(
        r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", agent_client.get(QUEUE).content.decode(), re.S) if "Ana" in r
    )
    assert "Acme, Globex" in row


def test_an_empty_queue_says_how_it_fills(agent_client, db):
    page = agent_client.get(QUEUE).content.decode()
    assert "Nothing to review" in page
    assert "python manage.py find_duplicates" in page
    assert "fills itself as profiles are created" in page


def test_filters_that_match_nothing_offer_to_clear_them(agent_client, three_pairs):
    page = agent_client.get(QUEUE, {"reason": "external_id"}).content.decode()
    assert "No candidates match these filters" in page and "Nothing to review" not in page


def test_a_pair_whose_profile_was_merged_away_is_never_shown(agent_client, three_pairs):
    # What a failed after-merge hook would leave behind: an open pair with a tombstone.
    ana = three_pairs["ana"]
    EndUser.objects.filter(pk=ana.high_id).update(merged_into=three_pairs["carla"].low)
    assert DuplicateCandidate.objects.get(pk=ana.pk).status == CandidateStatus.OPEN
    assert "Ana Souza" not in [pair[0] for pair in listed_pairs(agent_client.get(QUEUE))]
    page = agent_client.get(compare_url(ana)).content.decode()
    assert "merged away" in page and "Not a duplicate" not in page


def test_a_page_of_25_stays_within_ten_queries(agent_client, django_assert_max_num_queries):
    for n in range(30):
        customer(f"Cliente {n:02d}", ("phone", f"+55 11 98765-{4300 + n}"))
        customer(f"Cliente {n:02d}", ("whatsapp", f"+55 11 98765-{4300 + n}"))
    duplicate_scan.scan()
    organization = OrganizationFactory(name="Acme")
    for user in EndUser.objects.all()[:20]:
        add_member(organization=organization, user=user)
    assert DuplicateCandidate.objects.count() == 30
    for params in ({}, {"page": 2}, {"org": "acme", "reason": "phone", "score_min": 50}):
        with django_assert_max_num_queries(10):
            response = agent_client.get(QUEUE, params)
        assert response.status_code == 200
    assert len(listed_pairs(agent_client.get(QUEUE))) == 25
    assert len(listed_pairs(agent_client.get(QUEUE, {"page": 2}))) == 5


# --- the compare page --------------------------------------------------------------------------


def test_the_compare_page_shows_the_pair_side_by_side_with_the_reasons(agent_client, three_pairs):
    ana = three_pairs["ana"]
    ContactFactory(requester=ana.low, channel="voice", subject="Refund please", created_at="2026-03-01T10:00Z")
    ContactFactory(requester=ana.low, channel="voice", subject="Old call", created_at="2026-01-01T10:00Z")
    page = agent_client.get(compare_url(ana)).content.decode()
    assert "+55 11 98765-4321" in page and "Phone" in page and "WhatsApp" in page
    for reason in ana.reasons:
        assert f'dup-weight--plus">+{reason["weight"]}</span> {reason["text"]}' in page.replace("&#x27;", "'")
    assert f"= {ana.score}" in page
    assert "Refund please" in page and "Old call" not in page  # the latest contact of each channel
    assert f'href="/merge/?users={ana.low_id},{ana.high_id}"' in page
    assert "Not a duplicate" in page


def test_contradicting_evidence_is_shown_with_a_minus(agent_client, db):
    ana = customer("Ana Souza", ("phone", "+55 11 98765-4321"))
    ana_chat = customer("Ana Souza", ("whatsapp", "+55 11 98765-4321"))
    add_member(organization=OrganizationFactory(name="Acme"), user=ana)
    add_member(organization=OrganizationFactory(name="Globex"), user=ana_chat)
    duplicate_scan.scan()
    candidate = pair_of(ana, ana_chat)
    negative = [reason for reason in candidate.reasons if reason["weight"] < 0]
    assert negative
    page = agent_client.get(compare_url(candidate)).content.decode()
    assert f'dup-weight--minus">\u2212{-negative[0]["weight"]}</span> {negative[0]["text"]}' in page


def test_differences_are_highlighted_and_equal_values_are_not(agent_client, three_pairs):
    ana = three_pairs["ana"]
    EndUser.objects.filter(pk=ana.low_id).update(locale="pt-BR", time_zone="America/Sao_Paulo")
    EndUser.objects.filter(pk=ana.high_id).update(locale="es", time_zone="America/Sao_Paulo")
    page = agent_client.get(compare_url(ana)).content.decode()
    highlighted = [label.strip() for label in re.findall(r'<tr class="dup-diff">\s*<th scope="row">([^<]+)', page)]
    assert "Locale" in highlighted and "Phone" in highlighted and "WhatsApp" in highlighted
    assert "Name" not in highlighted and "Time zone" not in highlighted


def test_a_group_of_three_is_compared_together(agent_client, db):
    ana = customer("Ana Souza", ("phone", "+55 11 98765-4321"), ("email", "ana@example.com"))
    ana_chat = customer("Ana Souza", ("whatsapp", "+55 11 98765-4321"))
    ana_shop = customer("Ana S. Souza", ("email", "ana+shop@example.com"))
    duplicate_scan.scan()
    assert DuplicateCandidate.objects.count() == 2  # A~B and A~C: B and C alone would not match
    page = agent_client.get(compare_url(pair_of(ana, ana_chat))).content.decode()
    assert "3 profiles that may be one customer" in page
    assert f'href="/merge/?users={ana.pk},{ana_chat.pk},{ana_shop.pk}"' in page
    assert f"#{ana.pk} ~ #{ana_shop.pk}" in page and "(this pair)" in page


def test_the_compare_page_links_to_the_next_and_previous_pair_in_queue_order(agent_client, three_pairs):
    page = agent_client.get(compare_url(three_pairs["ana"])).content.decode()
    assert re.search(rf'href="{compare_url(three_pairs["carla"])}" data-shortcut="k"', page)
    assert re.search(rf'href="{compare_url(three_pairs["bruno"])}" data-shortcut="j"', page)
    first = agent_client.get(compare_url(three_pairs["carla"])).content.decode()
    assert 'data-shortcut="k"' not in first
    assert "js/duplicate-shortcuts" in page and "<kbd>n</kbd> not a duplicate" in page


def test_the_compare_page_stays_within_seventeen_queries(agent_client, db, django_assert_max_num_queries):
    ana = customer("Ana Souza", ("phone", "+55 11 98765-4321"), ("email", "ana@example.com"))
    ana_chat = customer("Ana Souza", ("whatsapp", "+55 11 98765-4321"))
    customer("Ana S. Souza", ("email", "ana+shop@example.com"))
    duplicate_scan.scan()
    ContactFactory.create_batch(30, requester=ana)
    ContactFactory(requester=ana_chat, channel="whatsapp")
    url = compare_url(pair_of(ana, ana_chat))
    # The pair, its group and the profiles, the contacts, and the next and previous pairs (two index
    # ranges each when no pair shares the score): the same for any queue or history length.
    with django_assert_max_num_queries(17):
        response = agent_client.get(url)
    assert response.status_code == 200
    assert "Question" in response.content.decode()


def test_odd_stored_reasons_do_not_break_the_pages(agent_client, three_pairs):
    DuplicateCandidate.objects.filter(pk=three_pairs["ana"].pk).update(
        reasons=[{"text": "no kind or weight"}, "not a dict", {"kind": "phone", "weight": "x"}]
    )
    assert agent_client.get(QUEUE).status_code == 200
    page = agent_client.get(compare_url(three_pairs["ana"])).content.decode()
    assert "no kind or weight" in page


# --- not a duplicate ---------------------------------------------------------------------------


def test_not_a_duplicate_records_who_and_when_and_goes_to_the_next_pair(agent_client, agent, three_pairs):
    ana = three_pairs["ana"]
    response = agent_client.post(dismiss_url(ana))
    assert response.status_code == 302 and response["Location"] == compare_url(three_pairs["bruno"])
    ana.refresh_from_db()
    assert ana.status == CandidateStatus.DISMISSED
    assert ana.reviewed_by == agent and ana.reviewed_at is not None
    page = agent_client.get(response["Location"]).content.decode()
    assert "are marked as not duplicates" in page
    assert ("Ana Souza", "Ana Souza") not in listed_pairs(agent_client.get(QUEUE))


def test_a_dismissed_pair_does_not_come_back_after_a_rescan(agent_client, three_pairs):
    agent_client.post(dismiss_url(three_pairs["ana"]))
    duplicate_scan.scan(restart=True)
    assert ("Ana Souza", "Ana Souza") not in listed_pairs(agent_client.get(QUEUE))
    assert DuplicateCandidate.objects.get(pk=three_pairs["ana"].pk).status == CandidateStatus.DISMISSED


def test_dismissing_the_last_pair_goes_back_to_the_queue(agent_client, three_pairs):
    assert agent_client.post(dismiss_url(three_pairs["bruno"]))["Location"] == QUEUE


def test_dismissing_twice_says_so_and_changes_nothing(agent_client, three_pairs):
    ana = three_pairs["ana"]
    agent_client.post(dismiss_url(ana))
    reviewed_at = DuplicateCandidate.objects.get(pk=ana.pk).reviewed_at
    response = agent_client.post(dismiss_url(ana), follow=True)
    page = response.content.decode()
    assert "This pair was already closed (not a duplicate). Nothing was changed." in page
    assert "Already marked “not a duplicate”" in page and "by agent" in page
    assert DuplicateCandidate.objects.get(pk=ana.pk).reviewed_at == reviewed_at


def test_a_merged_pair_shows_a_message_and_a_way_back(
    agent_client, agent, three_pairs, django_capture_on_commit_callbacks
):
    from profiles.merges.services import merge

    ana = three_pairs["ana"]
    with django_capture_on_commit_callbacks(execute=True):
        merge(survivor=ana.low, others=[ana.high], actor=agent)
    response = agent_client.get(compare_url(ana))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Already merged" in page and f'href="{QUEUE}"' in page


def test_unknown_candidates_are_a_404_with_a_way_back_and_change_nothing(agent_client, three_pairs):
    response = agent_client.get(reverse("profiles:duplicate", args=[999999]))
    assert response.status_code == 404
    assert "no longer in the queue" in response.content.decode()
    assert agent_client.get("/duplicates/abc/").status_code == 404
    response = agent_client.post(reverse("profiles:duplicate_dismiss", args=[999999]), follow=True)
    assert "no longer in the queue: nothing was changed" in response.content.decode()
    assert not DuplicateCandidate.objects.exclude(status=CandidateStatus.OPEN).exists()


# --- permissions -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, three_pairs):
    candidate = three_pairs["ana"]
    for method, url in (("get", QUEUE), ("get", compare_url(candidate)), ("post", dismiss_url(candidate))):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), url
    assert DuplicateCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.OPEN


def staff_with(*codenames: str) -> Client:
    user = User.objects.create_user("limited", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="profiles", codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


def test_staff_without_the_view_permission_get_a_403(three_pairs):
    client = staff_with()
    for url in (QUEUE, compare_url(three_pairs["ana"])):
        assert client.get(url).status_code == 403


def test_dismissing_needs_the_change_permission_and_buttons_follow_permissions(three_pairs):
    client = staff_with("view_enduser")
    candidate = three_pairs["ana"]
    page = client.get(compare_url(candidate)).content.decode()
    assert "Not a duplicate" not in page and "Merge…" not in page
    assert client.post(dismiss_url(candidate)).status_code == 403
    assert DuplicateCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.OPEN


def test_agents_may_merge_and_dismiss(agent_client, three_pairs):
    page = agent_client.get(compare_url(three_pairs["ana"])).content.decode()
    assert "Merge…" in page and "Not a duplicate" in page


def test_dismissing_is_post_only(agent_client, three_pairs):
    assert agent_client.get(dismiss_url(three_pairs["ana"])).status_code == 405


# --- navigation, profile page, directory -------------------------------------------------------


def test_the_navigation_counts_open_candidates_in_one_query(agent_client, agent, three_pairs):
    duplicates.dismiss(candidate=three_pairs["bruno"], actor=agent)
    with CaptureQueriesContext(connection) as queries:
        page = agent_client.get(reverse("home")).content.decode()
    assert re.search(r"Duplicates <span class=\"nav-count\"[^>]*>.*?2<", page)
    assert sum("duplicatecandidate" in q["sql"] for q in queries.captured_queries) == 1


def test_the_navigation_count_stops_counting_at_its_limit(three_pairs, monkeypatch):
    monkeypatch.setattr("profiles.duplicates.selectors.NAV_COUNT_LIMIT", 2)
    assert str(open_candidate_count()) == "2+"
    monkeypatch.setattr("profiles.duplicates.selectors.NAV_COUNT_LIMIT", 3)
    assert str(open_candidate_count()) == "3"


def test_no_count_is_shown_when_nothing_is_open(agent_client, db):
    assert "nav-count" not in agent_client.get(reverse("home")).content.decode()


def test_the_profile_page_lists_open_candidates_first_with_a_compare_link(agent_client, db):
    ana = customer("Ana Souza", ("phone", "+55 11 98765-4321"))
    ana_chat = customer("Ana Souza", ("whatsapp", "+55 11 98765-4321"))
    duplicate_scan.scan()
    candidate = pair_of(ana, ana_chat)
    page = agent_client.get(reverse("profiles:detail", args=[ana.pk])).content.decode()
    panel = page[page.index('id="duplicates"') :]
    assert f'href="{compare_url(candidate)}"' in panel
    assert "same phone +5511987654321" in panel and f">{candidate.score}<" in panel
    assert panel.count(f'href="/users/{ana_chat.pk}/"') == 1  # not listed again as an ad-hoc match


def test_the_profile_page_keeps_ad_hoc_matches_no_candidate_covers(agent_client, db):
    ana = customer("Ana Souza", ("phone", "+55 11 98765-4321"))
    shop = customer("Loja Central", ("whatsapp", "+55 11 98765-4321"))
    duplicate_scan.scan()
    page = agent_client.get(reverse("profiles:detail", args=[ana.pk])).content.decode()
    panel = page[page.index('id="duplicates"') :]
    assert f'href="/users/{shop.pk}/"' in panel and "same number +5511987654321" in panel
    assert not DuplicateCandidate.objects.exists()  # a shop sharing the customer's line: names too different
    assert "Compare side by side" not in panel


def test_the_directory_filters_profiles_with_open_candidates(agent_client, agent, three_pairs):
    customer("Zeca Loner", ("email", "zeca@example.org"))
    duplicates.dismiss(candidate=three_pairs["bruno"], actor=agent)

    def listed(answer: str) -> set[str]:
        page = agent_client.get(reverse("profiles:directory"), {"duplicates": answer}).content.decode()
        return set(re.findall(r'<td[^>]*><a href="/users/\d+/">([^<]+)</a>', page))

    assert listed("yes") == {"Ana Souza", "Carla Dias"}
    assert listed("no") == {"Bruno Lima", "Bruno Limma", "Zeca Loner"}


# --- two tiers ---------------------------------------------------------------------------------------


@pytest.fixture
def likely_and_possible(db) -> dict[str, DuplicateCandidate]:
    """A likely pair (a shared phone line and the same name) and a possible one (alike names alone)."""
    ana = customer("Ana Souza", ("phone", "+55 11 98765-4321"))
    ana_chat = customer("Ana Souza", ("whatsapp", "+55 11 98765-4321"))
    carla = customer("Carla Dias Moreira", ("email", "carla@gmail.com"))
    carla_phone = customer("Carla Dias Moreyra", ("phone", "+55 21 99876-5432"))
    duplicate_scan.scan()
    pairs = {"likely": pair_of(ana, ana_chat), "possible": pair_of(carla, carla_phone)}
    assert pairs["likely"].score >= 60 > pairs["possible"].score >= 45, "the scorer's weights changed"
    return pairs


def test_the_queue_shows_likely_duplicates_unless_asked_for_possible_ones(agent_client, likely_and_possible):
    assert listed_pairs(agent_client.get(QUEUE)) == [("Ana Souza", "Ana Souza")]
    assert listed_pairs(agent_client.get(QUEUE, {"tier": "possible"})) == [("Carla Dias Moreira", "Carla Dias Moreyra")]
    assert len(listed_pairs(agent_client.get(QUEUE, {"tier": ""}))) == 2


def test_the_menu_counts_likely_duplicates_only(likely_and_possible):
    assert open_candidate_count().value == 1
    assert open_candidate_count("possible").value == 1


def test_with_no_likely_pair_left_the_queue_offers_the_possible_ones(agent_client, likely_and_possible):
    duplicates.dismiss(candidate=likely_and_possible["likely"], actor=None)

    page = agent_client.get(QUEUE).content.decode()

    assert "No likely duplicates" in page
    assert "1 possible pair" in page
    assert 'href="?tier=possible"' in page


def test_a_reviewed_list_shows_every_tier(agent_client, likely_and_possible):
    for candidate in likely_and_possible.values():
        duplicates.dismiss(candidate=candidate, actor=None)

    assert len(listed_pairs(agent_client.get(QUEUE, {"status": "dismissed"}))) == 2


def test_an_unknown_tier_is_refused_with_a_message(agent_client, likely_and_possible):
    response = agent_client.get(QUEUE, {"tier": "certain"})

    assert response.status_code == 200
    assert "Select a valid choice. certain is not one of the available choices." in response.content.decode()


def test_a_likely_pair_is_grouped_through_likely_links_only(db):
    a, b, c, d = (customer(name) for name in ("Ana Souza", "Ana Sousa", "Ana S.", "Ana Souza Lima"))
    likely = DuplicateCandidate.objects.create(low=a, high=b, score=80, reasons=[])
    DuplicateCandidate.objects.create(low=b, high=c, score=70, reasons=[])  # likely: joins the group
    possible = DuplicateCandidate.objects.create(low=a, high=d, score=50, reasons=[])  # possible: stays out

    assert set(candidate_group(likely)[0]) == {a.pk, b.pk, c.pk}
    assert set(candidate_group(possible)[0]) == {a.pk, b.pk, c.pk, d.pk}
