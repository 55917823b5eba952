"""The merge history `/merges/` and a merge's record page, with the admins' Undo (confirmed first)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from organizations.models import Membership
from profiles.merges.services import merge, unmerge
from profiles.models import Contact, EndUser, Identity, MergeRecord
from tests.factories import (
    ContactFactory,
    EndUserFactory,
    IdentityFactory,
    MembershipFactory,
    OrganizationFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db

HISTORY = reverse("profiles:merges")


def record_url(record: MergeRecord) -> str:
    return reverse("profiles:merge_record", args=[record.pk])


def undo_url(record: MergeRecord) -> str:
    return reverse("profiles:unmerge", args=[record.pk])


def state():
    """Every row a merge or an undo touches, for "nothing was changed" checks."""
    return (
        sorted(EndUser.objects.values_list("pk", "name", "locale", "merged_into_id", "tags", "notes")),
        sorted(Identity.objects.values_list("pk", "user_id", "is_primary")),
        sorted(Contact.objects.values_list("pk", "requester_id")),
        sorted(Membership.objects.values_list("pk", "user_id", "organization_id", "is_default")),
        sorted(MergeRecord.objects.values_list("pk", "undone_at")),
    )


@pytest.fixture
def trio(db):
    """Ana (kept), her twin and a third profile: contact points, contacts, organizations, tags, notes apart."""
    acme, globex = OrganizationFactory(name="Acme"), OrganizationFactory(name="Globex")
    ana = EndUserFactory(name="Ana Souza", locale="pt-BR", tags=["vip"], notes="Prefers email.")
    IdentityFactory(user=ana, kind="email", value="ana@example.com", is_primary=True)
    ContactFactory.create_batch(2, requester=ana)
    MembershipFactory(user=ana, organization=acme, is_default=True)
    twin = EndUserFactory(name="Ana S.", locale="en", time_zone="America/Sao_Paulo", tags=["late"])
    IdentityFactory(user=twin, kind="email", value="ana.s@example.net", is_primary=True)
    IdentityFactory(user=twin, kind="phone", value="+5511987654321", is_primary=True)
    ContactFactory.create_batch(3, requester=twin, subject="Refund by phone")
    MembershipFactory(user=twin, organization=acme, is_default=True)  # Ana has it already: dropped
    third = EndUserFactory(name="A. Souza", notes="Calls on Fridays.")
    IdentityFactory(user=third, kind="whatsapp", value="+5511911112222")
    ContactFactory(requester=third, subject="Coupon does not apply")
    MembershipFactory(user=third, organization=globex)
    return ana, twin, third


@pytest.fixture
def merged(trio, agent):
    """The trio merged into Ana by the agent, the twin's locale chosen."""
    ana, twin, third = trio
    return merge(survivor=ana, others=[twin, third], field_choices={"locale": twin.pk}, actor=agent)


def pair_merge(actor: User, name: str = "Customer") -> MergeRecord:
    kept, other = EndUserFactory(name=f"{name} kept"), EndUserFactory(name=f"{name} gone")
    ContactFactory(requester=other)
    return merge(survivor=kept, others=[other], actor=actor)


def no_role_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_user("no-role", password="x", is_staff=True))
    return client


# --- the history --------------------------------------------------------------------------------------


def test_the_history_lists_each_merge_with_what_it_moved(agent_client, merged, trio):
    ana, twin, third = trio
    response = agent_client.get(HISTORY)
    assert response.status_code == 200
    rows = list(response.context["table"].page.object_list)
    assert len(rows) == 1
    row = rows[0]
    moved = row.get_cell("moved")
    assert "3 contact points" in moved and "4 contacts" in moved
    assert "1 membership<" in moved  # Globex moved; the twin's Acme dropped, Ana is in Acme already
    assert row.get_cell_value("actor") == "agent"
    page = response.content.decode()
    assert f'href="{record_url(merged)}"' in page
    for profile in (ana, twin, third):  # the kept profile and the tombstones, all linked
        assert f'href="{reverse("profiles:detail", args=[profile.pk])}"' in page
    assert "in effect" in page


def test_the_history_is_newest_first_and_shows_who_undid_what(agent, admin_user, admin_client):
    older, newer = pair_merge(agent, "Older"), pair_merge(agent, "Newer")
    admin_client.post(undo_url(older))
    rows = list(admin_client.get(HISTORY).context["table"].page.object_list)
    assert [row.record.pk for row in rows] == [newer.pk, older.pk]
    assert "undone" in rows[1].get_cell("status") and "by admin" in rows[1].get_cell("status")
    assert "in effect" in rows[0].get_cell("status")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"actor": "ADMIN"}, ["by_admin"]),
        ({"actor": "nobody"}, []),
        ({"undone": "yes"}, ["undone"]),
        ({"undone": "no"}, ["by_admin", "kept"]),
        ({"profile": "kept"}, ["kept"]),
        ({"profile": "#gone"}, ["kept"]),  # a merged-away profile, written as ids are shown
    ],
)
def test_filters_by_actor_profile_and_status(agent_client, agent, admin_user, query, expected):
    records = {"undone": pair_merge(agent, "Undone"), "kept": pair_merge(agent, "Kept")}
    records["by_admin"] = pair_merge(admin_user, "Admin's")
    unmerge(merge_record=records["undone"], actor=admin_user)
    kept = records["kept"]
    value = query.get("profile")
    if value is not None:
        pk = kept.survivor_id if value == "kept" else kept.merged_ids[0]
        query = {"profile": f"#{pk}" if value.startswith("#") else str(pk)}
    rows = agent_client.get(HISTORY, query).context["table"].page.object_list
    names = {record.pk: name for name, record in records.items()}
    assert sorted(names[row.record.pk] for row in rows) == sorted(expected)


def test_an_unreadable_profile_id_is_explained(agent_client, merged):
    page = agent_client.get(HISTORY, {"profile": "ana"}).content.decode()
    assert "Enter a profile id, such as 12 or #12." in page
    assert "The filters could not be read" in page


def test_no_match_for_the_filters_offers_to_clear_them(agent_client, merged):
    page = agent_client.get(HISTORY, {"actor": "nobody"}).content.decode()
    assert "No merges match these filters" in page and "Clear filters" in page


def test_an_empty_history_explains_how_merges_happen(agent_client):
    page = agent_client.get(HISTORY).content.decode()
    assert "No merges yet" in page
    assert "Duplicates queue" in page and reverse("profiles:duplicates") in page


def test_the_history_pages_25_merges_at_a_time(agent_client, agent):
    records = [pair_merge(agent, f"P{n}") for n in range(27)]
    first = agent_client.get(HISTORY)
    assert [row.record.pk for row in first.context["table"].page.object_list] == [r.pk for r in reversed(records)][:25]
    assert "?page=2" in first.content.decode()
    second = agent_client.get(HISTORY, {"page": 2})
    assert [row.record.pk for row in second.context["table"].page.object_list] == [records[1].pk, records[0].pk]


def test_a_page_of_25_merges_takes_at_most_10_queries(agent_client, agent, django_assert_max_num_queries):
    for n in range(25):
        kept, *others = EndUserFactory.create_batch(3, name=f"Customer {n}")
        for other in others:
            ContactFactory.create_batch(2, requester=other)
            IdentityFactory(user=other)
            MembershipFactory(user=other)
        merge(survivor=kept, others=others, actor=agent)
    with django_assert_max_num_queries(10):
        response = agent_client.get(HISTORY)
    assert len(response.context["table"].page.object_list) == 25
    with django_assert_max_num_queries(10):
        agent_client.get(HISTORY, {"actor": "agent", "profile": str(kept.pk), "undone": "no"})


# --- the record page ------------------------------------------------------------------------------------


def test_the_record_lists_every_moved_contact_point_contact_and_organization(agent_client, merged):
    page = agent_client.get(record_url(merged)).content.decode()
    assert f"Merge #{merged.pk}" in page
    for value in ("ana.s@example.net", "+5511987654321", "+5511911112222"):
        assert value in page
    assert "the kept profile had one" in page  # the twin's primary email: Ana kept hers
    assert "Refund by phone" in page and "Coupon does not apply" in page
    assert "3 contacts" in page and "1 contact<" in page  # per previous owner
    assert "Globex" in page and "moved from #" in page
    assert "Acme" in page and "the kept profile was a member already" in page


def test_the_record_shows_every_overwritten_value_before_and_after(agent_client, merged, trio):
    twin = trio[1]
    response = agent_client.get(record_url(merged))
    fields = {row.name: row for row in response.context["page"].fields}
    assert set(fields) == {"name", "locale", "time_zone"}
    assert (fields["locale"].before, fields["locale"].after, fields["locale"].changed) == ("pt-BR", "en", True)
    assert fields["locale"].how == f"chosen from #{twin.pk}"
    assert (fields["time_zone"].before, fields["time_zone"].after) == ("", "America/Sao_Paulo")
    assert not fields["name"].changed and fields["name"].after == "Ana Souza"
    page = response.content.decode()
    assert "pt-BR" in page and "America/Sao_Paulo" in page
    assert "overwritten" in page and "filled in" in page  # the locale replaced; the empty time zone filled
    assert "#late" in page  # the tag the twin brought
    assert "Calls on Fridays." in page  # the third's notes, appended


def test_the_record_lists_the_first_50_contacts_of_a_big_merge(agent_client, agent, django_assert_max_num_queries):
    kept, other = EndUserFactory(name="Kept"), EndUserFactory(name="Gone")
    ContactFactory.create_batch(60, requester=other, subject="Bulk question")
    IdentityFactory.create_batch(3, user=other)
    MembershipFactory(user=other)
    record = merge(survivor=kept, others=[other], actor=agent)
    with django_assert_max_num_queries(12):
        response = agent_client.get(record_url(record))
    page = response.content.decode()
    assert page.count("Bulk question") == 50
    assert "The first 50 of 60" in page and "60 contacts" in page


def test_an_unknown_record_is_404(agent_client):
    assert agent_client.get(reverse("profiles:merge_record", args=[999])).status_code == 404


def test_the_profiles_merge_history_links_to_the_record(agent_client, merged, trio):
    ana = trio[0]
    page = agent_client.get(reverse("profiles:detail", args=[ana.pk])).content.decode()
    assert f'href="{record_url(merged)}"' in page


# --- undo -------------------------------------------------------------------------------------------------


def test_undo_is_confirmed_first_then_restores_the_profiles_and_the_record_shows_it(admin_client, merged, trio):
    ana, twin, third = trio
    page = admin_client.get(record_url(merged)).content.decode()
    assert f'href="{record_url(merged)}?undo"' in page and "Yes, undo" not in page
    confirm = admin_client.get(record_url(merged), {"undo": ""}).content.decode()
    assert f'action="{undo_url(merged)}"' in confirm and f"Yes, undo merge #{merged.pk}" in confirm
    assert MergeRecord.objects.get().undone_at is None  # asking to confirm changes nothing

    response = admin_client.post(undo_url(merged), {"next": "record"})
    assert response["Location"] == record_url(merged)
    page = admin_client.get(response["Location"]).content.decode()
    assert f"Merge #{merged.pk} undone: 2 profile(s) restored." in page
    assert "Undone on" in page and "by admin" in page and "Undo this merge" not in page
    for profile in (twin, third):
        profile.refresh_from_db()
        assert profile.merged_into_id is None
    assert twin.identities.count() == 2 and twin.contacts.count() == 3
    assert list(third.memberships.values_list("organization__name", flat=True)) == ["Globex"]
    ana.refresh_from_db()
    assert (ana.locale, ana.tags, ana.contacts.count()) == ("pt-BR", ["vip"], 2)


def test_undoing_twice_says_so_and_changes_nothing(admin_client, merged):
    admin_client.post(undo_url(merged), {"next": "record"})
    before = state()
    response = admin_client.post(undo_url(merged), {"next": "record"}, follow=True)
    assert response.redirect_chain[-1][0] == record_url(merged)
    assert f"Merge #{merged.pk} was undone already on" in response.content.decode()
    assert state() == before
    assert "Yes, undo" not in admin_client.get(record_url(merged), {"undo": ""}).content.decode()


def test_a_refused_undo_shows_why_and_changes_nothing(admin_client, agent, merged, trio):
    ana = trio[0]
    later = merge(survivor=EndUserFactory(name="Newer Ana"), others=[ana], actor=agent)
    before = state()
    response = admin_client.post(undo_url(merged), {"next": "record"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == record_url(merged)
    assert f"undo merge #{later.pk} first" in page
    assert state() == before


# --- permissions ------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, merged):
    for url in (HISTORY, record_url(merged)):
        assert client.get(url)["Location"].startswith("/login/")


def test_staff_without_merge_permissions_are_refused(merged):
    staff = no_role_client()
    assert staff.get(HISTORY).status_code == 403
    assert staff.get(record_url(merged)).status_code == 403
    assert reverse("profiles:merges") not in staff.get(reverse("home")).content.decode()


def test_agents_read_the_history_but_cannot_undo(agent_client, merged):
    page = agent_client.get(HISTORY).content.decode()
    assert f'href="{HISTORY}"' in page  # the navigation link
    record_page = agent_client.get(record_url(merged), {"undo": ""}).content.decode()
    assert "Undo this merge" not in record_page and "Yes, undo" not in record_page
    before = state()
    assert agent_client.post(undo_url(merged), {"next": "record"}).status_code == 403
    assert state() == before


def test_the_unmerge_permission_alone_is_enough_to_read_the_history(merged):
    undoer = StaffUserFactory(username="undoer")
    undoer.user_permissions.add(Permission.objects.get(codename="unmerge_enduser"))
    client = Client()
    client.force_login(undoer)
    assert client.get(HISTORY).status_code == 200
    assert "Undo this merge" in client.get(record_url(merged)).content.decode()


def test_the_undo_endpoint_is_post_only(admin_client, merged):
    assert admin_client.get(undo_url(merged)).status_code == 405
