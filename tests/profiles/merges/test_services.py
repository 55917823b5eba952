"""merge() and unmerge(): every rule, every refusal (with its message, and nothing written)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from organizations.models import Membership
from profiles.errors import (
    CannotRestoreExactly,
    ConflictingExternalIds,
    InvalidFieldChoice,
    MergeAlreadyUndone,
    MergeError,
    MergeIntoItself,
    MergeIntoTombstone,
    MergeSizeInvalid,
    SurvivorMergedSince,
    SuspendedNotConfirmed,
    TombstoneMerged,
)
from profiles.merges import services as merge_module
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


def identity(user, kind="email", value=None, primary=False):
    kwargs = {"user": user, "kind": kind, "is_primary": primary}
    if value:
        kwargs["value"] = value
    return IdentityFactory(**kwargs)


def state():
    """Every row a merge can touch, for "nothing was written" checks."""
    return (
        sorted(EndUser.objects.values_list("pk", "name", "external_id", "merged_into_id", "tags", "notes")),
        sorted(Identity.objects.values_list("pk", "user_id", "is_primary")),
        sorted(Contact.objects.values_list("pk", "requester_id")),
        sorted(Membership.objects.values_list("pk", "user_id", "organization_id", "is_default")),
        MergeRecord.objects.count(),
    )


# --- moving rows ------------------------------------------------------------------------------------------


def test_merge_moves_identities_and_contacts_of_all_sources_and_tombstones_them():
    survivor, first, second = EndUserFactory(), EndUserFactory(), EndUserFactory()
    own = identity(survivor, primary=True)
    theirs = [identity(first, primary=True), identity(second, "phone", "+5511987654321", primary=True)]
    contacts = [ContactFactory(requester=user) for user in (survivor, first, first, second)]
    actor = StaffUserFactory()

    record = merge(survivor=survivor, others=[first, second], actor=actor)

    assert set(Identity.objects.filter(user=survivor).values_list("pk", flat=True)) == {own.pk, *(i.pk for i in theirs)}
    assert set(Contact.objects.filter(requester=survivor).values_list("pk", flat=True)) == {c.pk for c in contacts}
    for user in (first, second):
        user.refresh_from_db()
        assert user.merged_into_id == survivor.pk
        assert not user.identities.exists() and not user.contacts.exists()
    assert record.survivor_id == survivor.pk and record.merged_ids == [first.pk, second.pk]
    assert record.actor == actor and record.undone_at is None
    assert record.contacts == {str(first.pk): [contacts[1].pk, contacts[2].pk], str(second.pk): [contacts[3].pk]}
    assert {row["id"]: row["user_id"] for row in record.identities} == {theirs[0].pk: first.pk, theirs[1].pk: second.pk}


def test_survivor_keeps_its_primaries_and_moved_identities_of_that_kind_become_secondary():
    survivor, other = EndUserFactory(), EndUserFactory()
    own_email = identity(survivor, primary=True)
    their_email = identity(other, primary=True)
    their_second_email = identity(other)
    their_phone = identity(other, "phone", "+5511987654321", primary=True)

    record = merge(survivor=survivor, others=[other], actor=None)

    flags = dict(Identity.objects.values_list("pk", "is_primary"))
    assert flags == {own_email.pk: True, their_email.pk: False, their_second_email.pk: False, their_phone.pk: True}
    previous = {row["id"]: row["is_primary"] for row in record.identities}
    assert previous == {their_email.pk: True, their_second_email.pk: False, their_phone.pk: True}
    assert record.survivor_primaries == {"email": own_email.pk}


def test_when_two_others_have_a_primary_of_a_kind_the_survivor_lacks_the_first_listed_keeps_it():
    survivor, first, second = EndUserFactory(), EndUserFactory(), EndUserFactory()
    a, b = identity(second, primary=True), identity(first, primary=True)

    merge(survivor=survivor, others=[first, second], actor=None)

    assert dict(Identity.objects.values_list("pk", "is_primary")) == {b.pk: True, a.pk: False}


def test_contacts_keep_their_organization_and_via_identity():
    survivor, other = EndUserFactory(), EndUserFactory()
    organization = OrganizationFactory()
    email = identity(other, primary=True)
    contact = ContactFactory(requester=other, via_identity=email, organization=organization)

    merge(survivor=survivor, others=[other], actor=None)

    contact.refresh_from_db()
    assert (contact.requester_id, contact.via_identity_id, contact.organization_id) == (
        survivor.pk,
        email.pk,
        organization.pk,
    )


# --- memberships ------------------------------------------------------------------------------------------


def test_memberships_move_and_the_survivor_keeps_its_default():
    survivor, other = EndUserFactory(), EndUserFactory()
    own = MembershipFactory(user=survivor, is_default=True)
    theirs = MembershipFactory(user=other, is_default=True)

    record = merge(survivor=survivor, others=[other], actor=None)

    assert set(Membership.objects.filter(user=survivor).values_list("pk", "is_default")) == {
        (own.pk, True),
        (theirs.pk, False),
    }
    assert [row["id"] for row in record.memberships["moved"]] == [theirs.pk]
    assert record.memberships["moved"][0]["is_default"] is True


def test_membership_of_the_same_organization_on_both_becomes_one_and_the_deleted_one_is_recorded():
    organization = OrganizationFactory()
    survivor, other = EndUserFactory(), EndUserFactory()
    own = MembershipFactory(user=survivor, organization=organization, is_default=True)
    theirs = MembershipFactory(user=other, organization=organization, is_default=True)

    record = merge(survivor=survivor, others=[other], actor=None)

    assert list(Membership.objects.values_list("pk", "user_id", "is_default")) == [(own.pk, survivor.pk, True)]
    assert record.memberships["deleted"] == [
        {
            "id": theirs.pk,
            "user_id": other.pk,
            "organization_id": organization.pk,
            "is_default": True,
            "created_at": theirs.created_at.isoformat(),
        }
    ]


def test_field_choice_makes_an_organization_of_another_profile_the_default():
    survivor, other = EndUserFactory(), EndUserFactory()
    own = MembershipFactory(user=survivor, is_default=True)
    theirs = MembershipFactory(user=other, is_default=True)

    merge(survivor=survivor, others=[other], field_choices={"default_organization": theirs.organization_id}, actor=None)

    assert dict(Membership.objects.values_list("pk", "is_default")) == {own.pk: False, theirs.pk: True}


def test_a_survivor_without_organizations_gets_the_first_merged_away_default():
    survivor, first, second = EndUserFactory(), EndUserFactory(), EndUserFactory()
    first_other = MembershipFactory(user=first, is_default=False)
    first_default = MembershipFactory(user=first, is_default=True)
    second_default = MembershipFactory(user=second, is_default=True)

    merge(survivor=survivor, others=[first, second], actor=None)

    assert dict(Membership.objects.filter(user=survivor).values_list("pk", "is_default")) == {
        first_other.pk: False,
        first_default.pk: True,
        second_default.pk: False,
    }


def test_default_organization_must_be_one_of_the_merged_profiles():
    survivor, other = EndUserFactory(), EndUserFactory()
    stranger = OrganizationFactory()
    before = state()
    with pytest.raises(InvalidFieldChoice, match="None of the merged profiles belongs to organization"):
        merge(survivor=survivor, others=[other], field_choices={"default_organization": stranger.pk}, actor=None)
    assert state() == before


# --- fields, tags, notes, external ids --------------------------------------------------------------------


def test_fields_default_to_the_survivor_or_the_first_non_empty_value():
    survivor = EndUserFactory(name="Ana Souza", locale="", time_zone="America/Sao_Paulo", details="")
    first = EndUserFactory(name="Ana", locale="", time_zone="Europe/Lisbon", details="VIP")
    second = EndUserFactory(name="A. Souza", locale="pt-BR", details="other")

    record = merge(survivor=survivor, others=[first, second], actor=None)

    survivor.refresh_from_db()
    assert (survivor.name, survivor.locale, survivor.time_zone, survivor.details) == (
        "Ana Souza",
        "pt-BR",
        "America/Sao_Paulo",
        "VIP",
    )
    assert record.survivor_before["locale"] == "" and record.survivor_after["locale"] == "pt-BR"
    assert record.others_before[str(first.pk)]["time_zone"] == "Europe/Lisbon"


def test_field_choices_pick_the_winning_value_per_field():
    survivor = EndUserFactory(name="Ana", locale="en", suspended=False)
    other = EndUserFactory(name="Ana Souza", locale="pt-BR", suspended=True)

    record = merge(
        survivor=survivor,
        others=[other],
        field_choices={"name": other.pk, "suspended": other.pk, "locale": survivor.pk},
        actor=None,
        confirm_suspended=True,
    )

    survivor.refresh_from_db()
    assert (survivor.name, survivor.locale, survivor.suspended) == ("Ana Souza", "en", True)
    assert record.field_choices == {"name": other.pk, "suspended": other.pk, "locale": survivor.pk}
    assert record.survivor_before["name"] == "Ana"


def test_suspended_is_never_taken_over_without_a_choice():
    survivor, other = EndUserFactory(), EndUserFactory(suspended=True)
    merge(survivor=survivor, others=[other], actor=None, confirm_suspended=True)
    survivor.refresh_from_db()
    assert survivor.suspended is False


def test_tags_are_united_and_notes_appended_with_the_source_name_and_date():
    survivor = EndUserFactory(tags=["vip"], notes="Prefers calls.")
    other = EndUserFactory(name="Ana S.", tags=["churn-risk", "vip"], notes="Asked for a refund.")
    empty = EndUserFactory(notes="   ")

    merge(survivor=survivor, others=[other, empty], actor=None)

    survivor.refresh_from_db()
    today = timezone.localdate()
    assert survivor.tags == ["churn-risk", "vip"]
    assert survivor.notes == (
        f"Prefers calls.\n\nNotes of Ana S. (#{other.pk}), merged on {today:%Y-%m-%d}:\nAsked for a refund."
    )


def test_the_only_external_id_moves_to_the_survivor_and_the_tombstone_loses_it():
    survivor, other = EndUserFactory(), EndUserFactory(external_id="crm-7")

    record = merge(survivor=survivor, others=[other], actor=None)

    survivor.refresh_from_db()
    other.refresh_from_db()
    assert (survivor.external_id, other.external_id) == ("crm-7", None)
    assert record.others_before[str(other.pk)]["external_id"] == "crm-7"


def test_different_external_ids_need_a_choice_and_the_chosen_one_wins():
    survivor, other = EndUserFactory(external_id="crm-1"), EndUserFactory(external_id="crm-2")
    before = state()
    with pytest.raises(ConflictingExternalIds) as refused:
        merge(survivor=survivor, others=[other], actor=None)
    assert str(refused.value) == "The profiles have different external ids (crm-1, crm-2); choose the one to keep."
    assert state() == before

    merge(survivor=survivor, others=[other], field_choices={"external_id": other.pk}, actor=None)
    assert list(EndUser.objects.order_by("pk").values_list("external_id", flat=True)) == ["crm-2", None]


# --- refusals ---------------------------------------------------------------------------------------------


def refused(error, message, **kwargs):
    before = state()
    with pytest.raises(error) as caught:
        merge(actor=None, **kwargs)
    assert message in str(caught.value)
    assert state() == before


def test_refuses_to_merge_a_profile_into_itself():
    user = EndUserFactory()
    refused(MergeIntoItself, "A profile cannot be merged into itself", survivor=user, others=[user])


def test_refuses_a_profile_listed_twice():
    survivor, other = EndUserFactory(), EndUserFactory()
    refused(MergeIntoItself, "listed twice", survivor=survivor, others=[other, other])


def test_refuses_to_merge_into_a_tombstone():
    live, survivor, other = EndUserFactory(), EndUserFactory(), EndUserFactory()
    EndUser.objects.filter(pk=survivor.pk).update(merged_into=live)
    refused(
        MergeIntoTombstone,
        f"was merged into profile #{live.pk}; merge into that profile instead.",
        survivor=survivor,
        others=[other],
    )


def test_refuses_a_tombstone_among_the_others():
    live, survivor, other = EndUserFactory(), EndUserFactory(), EndUserFactory(name="Old")
    EndUser.objects.filter(pk=other.pk).update(merged_into=live)
    refused(
        TombstoneMerged,
        f"Old (#{other.pk}) was already merged into profile #{live.pk}; leave it out.",
        survivor=survivor,
        others=[other],
    )


def test_refuses_a_suspended_profile_without_confirmation():
    survivor, other = EndUserFactory(), EndUserFactory(name="Spam", suspended=True)
    refused(
        SuspendedNotConfirmed, f"Spam (#{other.pk}) is suspended; confirm to merge.", survivor=survivor, others=[other]
    )


def test_refuses_a_suspended_survivor_without_confirmation():
    survivor, other = EndUserFactory(suspended=True), EndUserFactory()
    refused(SuspendedNotConfirmed, "is suspended", survivor=survivor, others=[other])


@pytest.mark.parametrize("count", [1, 11])
def test_refuses_fewer_than_two_or_more_than_ten_profiles(count):
    users = EndUserFactory.create_batch(count)
    refused(
        MergeSizeInvalid,
        f"A merge combines 2 to 10 profiles at once; {count} were given.",
        survivor=users[0],
        others=users[1:],
    )


def test_ten_profiles_at_once_are_fine():
    users = EndUserFactory.create_batch(10)
    record = merge(survivor=users[0], others=users[1:], actor=None)
    assert EndUser.objects.filter(merged_into=users[0]).count() == 9 == len(record.merged_ids)


def test_refuses_a_choice_of_an_unknown_field_or_an_outside_profile():
    survivor, other, stranger = EndUserFactory(), EndUserFactory(), EndUserFactory()
    refused(InvalidFieldChoice, "'tags' cannot be chosen", survivor=survivor, others=[other], field_choices={"tags": 1})
    refused(
        InvalidFieldChoice,
        f"The value of name must come from one of the merged profiles, not #{stranger.pk}.",
        survivor=survivor,
        others=[other],
        field_choices={"name": stranger.pk},
    )


def test_refuses_a_profile_deleted_meanwhile():
    survivor, other = EndUserFactory(), EndUserFactory()
    gone = other.pk
    other.delete()
    refused(MergeError, f"Profile #{gone} does not exist", survivor=survivor, others=[EndUser(pk=gone)])


def test_field_choices_given_as_strings_are_accepted_and_garbage_is_refused():
    survivor, other = EndUserFactory(name="Ana"), EndUserFactory(name="Ana Souza")
    refused(
        InvalidFieldChoice,
        "must be the id of a profile",
        survivor=survivor,
        others=[other],
        field_choices={"name": "x"},
    )
    merge(survivor=survivor, others=[other], field_choices={"name": str(other.pk)}, actor=None)
    survivor.refresh_from_db()
    assert survivor.name == "Ana Souza"


def test_after_merge_hook_runs_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    seen = []
    monkeypatch.setattr(merge_module, "after_merge", seen.append)
    survivor, other = EndUserFactory(), EndUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        record = merge(survivor=survivor, others=[other], actor=None)
    assert seen == [record]


# --- unmerge ----------------------------------------------------------------------------------------------


def rich_pair():
    organization, shared = OrganizationFactory(), OrganizationFactory()
    survivor = EndUserFactory(name="Ana Souza", tags=["vip"], notes="Mine.", locale="")
    other = EndUserFactory(name="Ana", tags=["b2b"], notes="Theirs.", locale="pt-BR", external_id="crm-9")
    identity(survivor, primary=True)
    identity(other, primary=True)
    identity(other, "phone", "+5511987654321", primary=True)
    ContactFactory(requester=survivor)
    ContactFactory.create_batch(3, requester=other)
    MembershipFactory(user=survivor, organization=shared, is_default=True)
    MembershipFactory(user=other, organization=shared, is_default=False)
    MembershipFactory(user=other, organization=organization, is_default=True)
    return survivor, other


def test_unmerge_restores_both_profiles_exactly():
    survivor, other = rich_pair()
    before = state()
    record = merge(survivor=survivor, others=[other], field_choices={"name": other.pk}, actor=None)
    assert state() != before
    admin = StaffUserFactory()

    unmerge(merge_record=record, actor=admin)

    after = state()
    assert after[:4] == before[:4]
    record.refresh_from_db()
    assert record.undone_at is not None and record.undone_by == admin


def test_unmerge_keeps_what_the_survivor_gained_after_the_merge():
    survivor, other = rich_pair()
    record = merge(survivor=survivor, others=[other], actor=None)
    later_identity = identity(survivor, "phone", "+5511911112222")
    later_contact = ContactFactory(requester=survivor)
    EndUser.objects.filter(pk=survivor.pk).update(details="Edited after the merge", tags=["b2b", "new", "vip"])

    unmerge(merge_record=record, actor=None)

    survivor.refresh_from_db()
    later_identity.refresh_from_db()
    assert later_identity.user_id == survivor.pk and later_identity.is_primary  # its kind's primary went back
    assert Contact.objects.get(pk=later_contact.pk).requester_id == survivor.pk
    assert survivor.details == "Edited after the merge"
    assert survivor.tags == ["new", "vip"]  # b2b came from the other profile and went back with it
    assert survivor.name == "Ana Souza"


def test_unmerge_gives_back_the_survivors_previous_primary_when_a_moved_one_was_made_primary():
    survivor, other = EndUserFactory(), EndUserFactory()
    own = identity(survivor, primary=True)
    theirs = identity(other, primary=True)
    record = merge(survivor=survivor, others=[other], actor=None)
    Identity.objects.filter(pk=own.pk).update(is_primary=False)
    Identity.objects.filter(pk=theirs.pk).update(is_primary=True)

    unmerge(merge_record=record, actor=None)

    assert dict(Identity.objects.values_list("pk", "is_primary")) == {own.pk: True, theirs.pk: True}


def test_unmerge_restores_the_survivors_default_organization():
    survivor, other = EndUserFactory(), EndUserFactory()
    own = MembershipFactory(user=survivor, is_default=True)
    theirs = MembershipFactory(user=other, is_default=True)
    record = merge(
        survivor=survivor, others=[other], field_choices={"default_organization": theirs.organization_id}, actor=None
    )

    unmerge(merge_record=record, actor=None)

    assert set(Membership.objects.values_list("pk", "user_id", "is_default")) == {
        (own.pk, survivor.pk, True),
        (theirs.pk, other.pk, True),
    }


def test_unmerge_recreates_a_moved_membership_removed_since():
    survivor, other = EndUserFactory(), EndUserFactory()
    theirs = MembershipFactory(user=other, is_default=True)
    created_at = theirs.created_at
    record = merge(survivor=survivor, others=[other], actor=None)
    Membership.objects.filter(pk=theirs.pk).delete()

    unmerge(merge_record=record, actor=None)

    restored = Membership.objects.get(pk=theirs.pk)
    assert (restored.user_id, restored.is_default, restored.created_at) == (other.pk, True, created_at)


def test_unmerge_removes_the_appended_notes_but_keeps_later_edits():
    survivor, other = EndUserFactory(notes="Mine."), EndUserFactory(notes="Theirs.")
    record = merge(survivor=survivor, others=[other], actor=None)
    survivor.refresh_from_db()
    EndUser.objects.filter(pk=survivor.pk).update(notes=survivor.notes + "\n\nCalled back on Monday.")

    unmerge(merge_record=record, actor=None)

    survivor.refresh_from_db()
    assert survivor.notes == "Mine.\n\nCalled back on Monday."


def test_unmerge_gives_the_external_id_back():
    survivor, other = EndUserFactory(external_id="crm-1"), EndUserFactory(external_id="crm-2")
    record = merge(survivor=survivor, others=[other], field_choices={"external_id": other.pk}, actor=None)

    unmerge(merge_record=record, actor=None)

    assert list(EndUser.objects.order_by("pk").values_list("external_id", "merged_into_id")) == [
        ("crm-1", None),
        ("crm-2", None),
    ]


def unmerge_refused(record, error, message):
    before = state()
    with pytest.raises(error) as caught:
        unmerge(merge_record=record, actor=None)
    assert message in str(caught.value)
    assert state() == before
    record.refresh_from_db()
    assert record.undone_at is None or error is MergeAlreadyUndone


def test_unmerge_refuses_when_a_moved_identity_was_deleted():
    survivor, other = EndUserFactory(), EndUserFactory()
    theirs = identity(other, value="ana@example.com", primary=True)
    record = merge(survivor=survivor, others=[other], actor=None)
    theirs.delete()
    unmerge_refused(record, CannotRestoreExactly, "The email ana@example.com was deleted since the merge")


def test_unmerge_refuses_when_a_moved_contact_was_deleted():
    survivor, other = EndUserFactory(), EndUserFactory()
    contact = ContactFactory(requester=other)
    contact_id = contact.pk
    record = merge(survivor=survivor, others=[other], actor=None)
    contact.delete()
    unmerge_refused(record, CannotRestoreExactly, f"Contact #{contact_id}, moved by this merge, was deleted since.")


def test_unmerge_refuses_when_a_later_merge_consumed_the_survivor():
    survivor, other, later_survivor = EndUserFactory(), EndUserFactory(), EndUserFactory()
    first = merge(survivor=survivor, others=[other], actor=None)
    second = merge(survivor=later_survivor, others=[survivor], actor=None)
    unmerge_refused(first, SurvivorMergedSince, f"undo merge #{second.pk} first.")

    unmerge(merge_record=second, actor=None)
    unmerge(merge_record=first, actor=None)
    assert not EndUser.objects.filter(merged_into__isnull=False).exists()


def test_unmerge_refuses_a_merge_undone_already():
    survivor, other = EndUserFactory(), EndUserFactory()
    record = merge(survivor=survivor, others=[other], actor=None)
    unmerge(merge_record=record, actor=None)
    unmerge_refused(record, MergeAlreadyUndone, f"Merge #{record.pk} was undone already")


def test_unmerge_refuses_when_the_external_id_was_taken_since():
    survivor, other = EndUserFactory(), EndUserFactory(external_id="crm-5")
    record = merge(survivor=survivor, others=[other], actor=None)
    EndUser.objects.filter(pk=survivor.pk).update(external_id="crm-6")
    squatter = EndUserFactory(name="Bob", external_id="crm-5")
    unmerge_refused(record, CannotRestoreExactly, f"The external id crm-5 belongs to Bob (#{squatter.pk}) now")


def test_a_refused_unmerge_inside_a_callers_transaction_leaves_nothing_behind():
    survivor, other = EndUserFactory(), EndUserFactory(external_id="crm-5")
    ContactFactory(requester=other)
    record = merge(survivor=survivor, others=[other], actor=None)
    EndUser.objects.filter(pk=survivor.pk).update(external_id=None)
    EndUserFactory(external_id="crm-5")
    before = state()
    with transaction.atomic():
        with pytest.raises(CannotRestoreExactly):
            unmerge(merge_record=record, actor=None)
        assert state() == before


def test_merge_records_are_listed_newest_first():
    a, b, c = EndUserFactory(), EndUserFactory(), EndUserFactory()
    first = merge(survivor=a, others=[b], actor=None)
    second = merge(survivor=a, others=[c], actor=None)
    MergeRecord.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=1))
    assert list(MergeRecord.objects.values_list("pk", flat=True)) == [second.pk, first.pk]
    assert str(second) == f"Merge #{second.pk} into {a.pk}"


def test_an_external_id_a_merged_away_profile_gives_up_is_retired_and_given_back_by_undo(agent, admin_user):
    import importlib

    from django.apps import apps

    from profiles.models import RetiredExternalId

    ana = EndUserFactory(name="Ana Souza", external_id="crm-1")
    twin = EndUserFactory(name="Ana S.", external_id="shop-88123")
    record = merge(survivor=ana, others=[twin], field_choices={"external_id": ana.pk}, actor=agent)
    assert list(RetiredExternalId.objects.values_list("external_id", "user", "merge_record")) == [
        ("shop-88123", twin.pk, record.pk)
    ]
    # Merges recorded before the table existed get their rows from the migration, from the record.
    RetiredExternalId.objects.all().delete()
    migration = importlib.import_module("profiles.migrations.0013_retired_external_id")
    migration.retire_external_ids_of_earlier_merges(apps, None)
    assert list(RetiredExternalId.objects.values_list("external_id", "user")) == [("shop-88123", twin.pk)]
    unmerge(merge_record=record, actor=admin_user)
    twin.refresh_from_db()
    assert twin.external_id == "shop-88123" and not RetiredExternalId.objects.exists()
