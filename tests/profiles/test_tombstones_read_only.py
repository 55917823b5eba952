"""A merged-away profile is read-only everywhere: services, pages and the Django admin refuse, and undo stays exact."""

from __future__ import annotations

import pytest
from django.urls import reverse

from profiles.errors import ProfileMergedAway
from profiles.merges.services import merge, unmerge
from profiles.models import EndUser, Identity
from profiles.services.identities import add_identity, remove_identity, save_identity
from tests.factories import EndUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(db):
    """Ana's second profile merged into Ana; the tombstone keeps an address it had as a leftover of old data."""
    ana = EndUserFactory(name="Ana Souza")
    add_identity(user=ana, kind="email", value="ana@example.com")
    twin = EndUserFactory(name="Ana S.")
    add_identity(user=twin, kind="phone", value="+55 11 98765-4321")
    record = merge(survivor=ana, others=[twin], actor=None)
    twin.refresh_from_db()
    return ana, twin, record


def test_the_services_refuse_to_add_or_remove_a_contact_point_of_a_merged_away_profile(merged):
    ana, twin, _ = merged
    moved = Identity.objects.get(normalized="+5511987654321")

    with pytest.raises(ProfileMergedAway) as refused:
        add_identity(user=twin, kind="email", value="twin@example.com")
    assert refused.value.message == (
        f"Profile #{twin.pk} was merged into #{ana.pk} and is kept read-only for its history; "
        f"change the surviving profile #{ana.pk} instead."
    )
    moved.user_id = twin.pk  # "move it back" by hand, as the admin's profile field would
    with pytest.raises(ProfileMergedAway):
        save_identity(identity=moved, make_primary=True)

    assert not Identity.objects.filter(user=twin).exists()
    assert Identity.objects.get(normalized="+5511987654321").user_id == ana.pk


def test_removing_a_tombstones_leftover_address_is_refused_and_it_stays(merged):
    _, twin, _ = merged
    leftover = Identity.objects.create(user=twin, kind="email", value="old@example.com", normalized="old@example.com")

    with pytest.raises(ProfileMergedAway):
        remove_identity(identity=leftover)

    assert Identity.objects.filter(pk=leftover.pk).exists()


def test_the_profile_page_says_why_and_changes_nothing(agent_client, merged):
    _, twin, _ = merged
    leftover = Identity.objects.create(user=twin, kind="email", value="old@example.com", normalized="old@example.com")

    edit = agent_client.post(
        reverse("profiles:identity_edit", args=[twin.pk, leftover.pk]), {"value": "new@example.com"}
    )
    removed = agent_client.post(reverse("profiles:identity_remove", args=[twin.pk, leftover.pk]), follow=True)
    added = agent_client.post(
        reverse("profiles:identity_add", args=[twin.pk]), {"kind": "email", "value": "x@y.com"}, follow=True
    )

    assert edit.status_code == 400 and "kept read-only for its history" in edit.content.decode()
    assert "kept read-only for its history" in removed.content.decode()
    assert "kept read-only for its history" in added.content.decode()
    assert list(Identity.objects.filter(user=twin).values_list("normalized", flat=True)) == ["old@example.com"]


def test_the_admin_shows_a_tombstone_but_neither_saves_nor_deletes_it(superuser_client, merged):
    _, twin, record = merged
    change = reverse("admin:profiles_enduser_change", args=[twin.pk])

    page = superuser_client.get(change).content.decode()
    renamed = superuser_client.post(change, {"name": "Renamed", "external_id": "crm-1"})
    deleted = superuser_client.post(reverse("admin:profiles_enduser_delete", args=[twin.pk]), {"post": "yes"})

    assert 'name="_save"' not in page
    assert renamed.status_code == 403 and deleted.status_code == 403
    twin.refresh_from_db()
    assert (twin.name, twin.external_id) == ("Ana S.", None)
    unmerge(merge_record=record, actor=None)
    assert Identity.objects.get(normalized="+5511987654321").user_id == twin.pk


def test_the_admin_refuses_to_move_a_contact_point_onto_a_tombstone_with_a_message(superuser_client, merged):
    ana, twin, _ = merged
    email = Identity.objects.get(normalized="ana@example.com")

    answer = superuser_client.post(
        reverse("admin:profiles_identity_change", args=[email.pk]),
        {"user": twin.pk, "kind": "email", "value": "ana@example.com", "primary": "on"},
    )

    assert answer.status_code == 200
    assert "kept read-only for its history" in answer.content.decode()
    assert Identity.objects.get(pk=email.pk).user_id == ana.pk


def test_an_admin_edit_of_a_live_profile_goes_through_the_service_rules(superuser_client, merged):
    ana, _, _ = merged
    form = {
        "name": "  Ana   Souza Lima ",
        "external_id": " crm-7 ",
        "locale": "",
        "time_zone": "",
        "details": "",
        "notes": "",
        "tags": "VIP vip",
        "suspended": "",
        "identities-TOTAL_FORMS": "0",
        "identities-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }

    superuser_client.post(reverse("admin:profiles_enduser_change", args=[ana.pk]), form)

    ana = EndUser.objects.get(pk=ana.pk)
    assert (ana.name, ana.external_id, ana.tags, ana.source) == ("Ana Souza Lima", "crm-7", ["vip"], "agent")
