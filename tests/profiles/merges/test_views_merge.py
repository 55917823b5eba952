"""Merging from the UI: side by side, choose what wins, confirm; admins undo from the merge history."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from profiles.merges.services import merge
from profiles.models import EndUser, MergeRecord
from profiles.services.identities import add_identity
from tests.factories import ContactFactory, EndUserFactory, MembershipFactory

pytestmark = pytest.mark.django_db

URL = reverse("profiles:merge")


@pytest.fixture
def pair(db):
    ana = EndUserFactory(name="Ana Souza", locale="pt-BR")
    add_identity(user=ana, kind="email", value="ana@example.com")
    ContactFactory.create_batch(2, requester=ana)
    twin = EndUserFactory(name="Ana S.", locale="")
    add_identity(user=twin, kind="phone", value="+55 11 98765-4321")
    ContactFactory(requester=twin)
    return ana, twin


def users_param(*profiles) -> str:
    return ",".join(str(p.pk) for p in profiles)


def test_the_confirmation_shows_both_profiles_what_differs_and_what_will_move(agent_client, pair):
    ana, twin = pair
    page = agent_client.get(URL, {"users": users_param(ana, twin)}).content.decode()
    assert "Ana Souza" in page and "Ana S." in page
    assert 'name="choice_name"' in page and 'name="choice_locale"' in page and 'name="choice_details"' not in page
    assert "1 contact point, 1 contact" in page  # the twin moves into Ana (more contacts: kept by default)
    assert f"Merge into #{ana.pk}" in page


def test_confirming_merges_with_the_chosen_values(agent_client, pair):
    ana, twin = pair
    data = {"users": users_param(ana, twin), "survivor": ana.pk, "choice_name": twin.pk, "choice_locale": ana.pk}
    response = agent_client.post(URL, data, follow=True)
    assert "Merged 1 profile(s) into" in response.content.decode()
    ana.refresh_from_db()
    twin.refresh_from_db()
    assert ana.name == "Ana S." and twin.merged_into_id == ana.pk
    assert set(ana.identities.values_list("kind", flat=True)) == {"email", "phone"}
    assert ana.contacts.count() == 3


def test_keep_this_one_instead_swaps_the_survivor(agent_client, pair):
    ana, twin = pair
    page = agent_client.get(URL, {"users": users_param(ana, twin), "survivor": twin.pk}).content.decode()
    assert f"Merge into #{twin.pk}" in page


@pytest.mark.parametrize(
    ("users", "message"),
    [("", "Select between 2 and 10 profiles to merge."), ("1,x", "were not understood"), ("1", "Select between 2")],
)
def test_a_bad_selection_is_explained_and_nothing_is_merged(agent_client, pair, users, message):
    response = agent_client.get(URL, {"users": users}, follow=True)
    assert message in response.content.decode()
    assert not MergeRecord.objects.exists()


def nothing_merged(*profiles) -> bool:
    return (
        not MergeRecord.objects.exists()
        and not EndUser.objects.filter(pk__in=[p.pk for p in profiles], merged_into__isnull=False).exists()
    )


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        ({"survivor": "999999"}, "Choose which of these profiles survives; nothing was merged."),
        ({"survivor": "<script>"}, "Choose which of these profiles survives; nothing was merged."),
        ({"choice_name": "999999"}, "The value of name must come from one of the merged profiles, not #999999."),
        ({"choice_name": "x"}, "Each field choice must be the id of a profile (or of an organization)."),
    ],
)
def test_a_tampered_post_is_refused_with_a_message_and_merges_nothing(agent_client, pair, tamper, message):
    ana, twin = pair
    data = {"users": users_param(ana, twin), "survivor": ana.pk, **tamper}
    response = agent_client.post(URL, data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_merged(ana, twin)
    ana.refresh_from_db()
    assert ana.name == "Ana Souza"


def test_a_stale_form_after_another_agent_merged_is_refused_and_changes_nothing(agent_client, agent, pair):
    ana, twin = pair
    third = EndUserFactory(name="Ana Third")
    merge(survivor=third, others=[twin], actor=agent)  # another agent, while this form was open
    data = {"users": users_param(ana, twin), "survivor": ana.pk, "choice_name": twin.pk}
    response = agent_client.post(URL, data, follow=True)
    refusal = f"Ana S. (#{twin.pk}) was already merged into profile #{third.pk}; leave it out."
    assert refusal in response.content.decode()
    assert MergeRecord.objects.count() == 1
    ana.refresh_from_db()
    assert (ana.name, ana.merged_into_id) == ("Ana Souza", None)


def test_a_suspended_profile_needs_an_explicit_confirmation(agent_client, pair):
    ana, twin = pair
    EndUser.objects.filter(pk=twin.pk).update(suspended=True)
    data = {"users": users_param(ana, twin), "survivor": ana.pk}
    response = agent_client.post(URL, data)
    assert response.status_code == 200 and "suspended" in response.content.decode()
    assert not MergeRecord.objects.exists()
    agent_client.post(URL, {**data, "confirm_suspended": "1"})
    assert MergeRecord.objects.count() == 1


def test_the_directory_sends_selected_rows_to_the_confirmation(agent_client, pair):
    ana, twin = pair
    response = agent_client.post(reverse("profiles:bulk"), {"selected": [ana.pk, twin.pk], "action": "merge"})
    assert response["Location"] == f"{URL}?users={users_param(ana, twin)}"


def test_admins_undo_a_merge_from_the_profiles_merge_history(agent_client, admin_client, pair):
    ana, twin = pair
    agent_client.post(URL, {"users": users_param(ana, twin), "survivor": ana.pk})
    record = MergeRecord.objects.get()
    assert "Merge history" in admin_client.get(reverse("profiles:detail", args=[ana.pk])).content.decode()
    assert agent_client.post(reverse("profiles:unmerge", args=[record.pk])).status_code == 403
    response = admin_client.post(reverse("profiles:unmerge", args=[record.pk]), follow=True)
    assert f"Merge #{record.pk} undone" in response.content.decode()
    twin.refresh_from_db()
    assert twin.merged_into_id is None and twin.identities.get().normalized == "+5511987654321"
    assert admin_client.get(reverse("profiles:unmerge", args=[record.pk])).status_code == 405


def test_merge_pages_need_login_and_the_merge_permission(client, pair):
    ana, twin = pair
    assert client.get(URL, {"users": users_param(ana, twin)})["Location"].startswith("/login/")
    staff = Client()
    staff.force_login(User.objects.create_user("no-role", password="x", is_staff=True))
    assert staff.get(URL, {"users": users_param(ana, twin)}).status_code == 403
    assert staff.post(URL, {"users": users_param(ana, twin), "survivor": ana.pk}).status_code == 403
    assert not MergeRecord.objects.exists()


def test_the_admin_action_opens_the_same_confirmation(superuser_client, pair):
    ana, twin = pair
    response = superuser_client.post(
        reverse("admin:profiles_enduser_changelist"),
        {"action": "merge_selected", "_selected_action": [ana.pk, twin.pk]},
    )
    assert response["Location"] == f"{URL}?users={users_param(ana, twin)}"


def test_the_page_and_the_merge_take_a_bounded_number_of_queries(agent_client, django_assert_max_num_queries):
    profiles = EndUserFactory.create_batch(3)
    for profile in profiles:
        ContactFactory.create_batch(2, requester=profile)
        add_identity(user=profile, kind="email", value=f"customer{profile.pk}@example.com")
        MembershipFactory(user=profile)
    with django_assert_max_num_queries(8):
        agent_client.get(URL, {"users": users_param(*profiles)})
    with django_assert_max_num_queries(23):
        response = agent_client.post(URL, {"users": users_param(*profiles), "survivor": profiles[0].pk})
    assert response.status_code == 302 and MergeRecord.objects.get().survivor_id == profiles[0].pk
