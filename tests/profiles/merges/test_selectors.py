"""The merge page's data: the profiles side by side with their counts and memberships, in a fixed number of
queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from profiles.merges.selectors import merge_preview
from tests.factories import ContactFactory, EndUserFactory, IdentityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_most_contacted_profile_survives_by_default_the_lowest_id_among_equals():
    first, second, third = EndUserFactory.create_batch(3)
    ContactFactory(requester=second)
    ContactFactory(requester=third)
    preview = merge_preview([third.pk, first.pk, second.pk])
    assert [p.pk for p in preview.profiles] == [first.pk, second.pk, third.pk]
    assert preview.survivor == second and preview.others == [first, third]


def test_a_survivor_asked_for_survives_and_one_outside_the_profiles_does_not():
    first, second = EndUserFactory.create_batch(2)
    ContactFactory(requester=first)
    assert merge_preview([first.pk, second.pk], second.pk).survivor_id == second.pk
    assert merge_preview([first.pk, second.pk], EndUserFactory().pk).survivor_id == first.pk


def test_a_profile_that_does_not_exist_leaves_no_preview():
    kept, gone = EndUserFactory.create_batch(2)
    gone_pk = gone.pk
    gone.delete()
    assert merge_preview([kept.pk, gone_pk]) is None


def test_what_moves_counts_the_others_contact_points_contacts_and_memberships():
    kept, other = EndUserFactory.create_batch(2)
    ContactFactory.create_batch(3, requester=kept)
    IdentityFactory.create_batch(2, user=other)
    ContactFactory.create_batch(2, requester=other)
    MembershipFactory(user=other)
    preview = merge_preview([kept.pk, other.pk])
    assert preview.survivor == kept
    assert preview.moves == {"profiles": 1, "identities": 2, "contacts": 2, "organizations": 1}
    assert (preview.profiles[1].identity_count, preview.profiles[1].contact_count) == (2, 2)


def test_only_differing_fields_are_offered_the_survivors_value_checked_else_the_newest_filled_one():
    now = timezone.now()
    kept = EndUserFactory(name="Ana", locale="", time_zone="America/Sao_Paulo")
    older = EndUserFactory(name="Ana S.", locale="pt-BR", time_zone="America/Sao_Paulo")
    newer = EndUserFactory(name="Ana", locale="pt-PT", time_zone="America/Sao_Paulo")
    for n, profile in enumerate((older, newer)):
        type(profile).objects.filter(pk=profile.pk).update(created_at=now - timedelta(days=2 - n))
    ContactFactory(requester=kept)
    preview = merge_preview([kept.pk, older.pk, newer.pk])
    fields = {row.field: row for row in preview.fields}
    assert set(fields) == {"name", "locale"}
    assert fields["locale"].label == "Locale"
    assert [option.profile.pk for option in fields["name"].options if option.checked] == [kept.pk]
    assert [option.profile.pk for option in fields["locale"].options if option.checked] == [newer.pk]


def test_a_value_two_profiles_share_is_offered_once_from_the_survivor_when_it_has_it():
    kept = EndUserFactory(time_zone="America/Manaus")
    other = EndUserFactory(time_zone="America/Manaus")
    third = EndUserFactory(time_zone="America/Bogota")
    ContactFactory(requester=kept)

    [row] = [row for row in merge_preview([other.pk, kept.pk, third.pk]).fields if row.field == "time_zone"]

    assert [(option.profile.pk, option.value, option.checked) for option in row.options] == [
        (kept.pk, "America/Manaus", True),
        (third.pk, "America/Bogota", False),
    ]


def test_each_organization_of_the_profiles_is_offered_once():
    kept, other = EndUserFactory.create_batch(2)
    shared = MembershipFactory(user=kept).organization
    MembershipFactory(user=other, organization=shared)
    own = MembershipFactory(user=other).organization
    assert merge_preview([kept.pk, other.pk]).organizations == [shared, own]


def test_the_preview_takes_three_queries_whatever_the_sizes(django_assert_num_queries):
    profiles = EndUserFactory.create_batch(10)
    for profile in profiles:
        ContactFactory.create_batch(3, requester=profile)
        IdentityFactory.create_batch(2, user=profile)
        MembershipFactory.create_batch(2, user=profile)
    with django_assert_num_queries(3):
        preview = merge_preview([p.pk for p in profiles])
        assert preview.moves["organizations"] == 18 and len(preview.organizations) == 20
