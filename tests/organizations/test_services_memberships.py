"""Memberships: one default per user, single and set-based adds, and the pasted-list report."""

from __future__ import annotations

import pytest

from organizations.errors import AlreadyMember
from organizations.models import Membership
from organizations.services.memberships import (
    BulkOutcome,
    add_member,
    add_members,
    add_members_by_email,
    parse_member_list,
    remove_membership,
)
from tests.factories import EndUserFactory, IdentityFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_first_membership_is_the_default_and_a_second_one_is_not_unless_asked():
    user = EndUserFactory()
    acme, globex, initech = OrganizationFactory.create_batch(3)
    assert add_member(organization=acme, user=user).is_default
    assert not add_member(organization=globex, user=user).is_default
    assert add_member(organization=initech, user=user, make_default=True).is_default
    assert list(Membership.objects.filter(user=user, is_default=True).values_list("organization", flat=True)) == [
        initech.pk
    ]


def test_adding_a_member_twice_is_refused_by_name():
    user = EndUserFactory(name="Ana Souza")
    acme = OrganizationFactory(name="Acme")
    add_member(organization=acme, user=user)
    with pytest.raises(AlreadyMember) as caught:
        add_member(organization=acme, user=user)
    assert caught.value.message == "Ana Souza is already a member of Acme."


def test_removing_the_default_membership_returns_the_new_default():
    user = EndUserFactory()
    first = MembershipFactory(user=user, is_default=True)
    second = MembershipFactory(user=user, is_default=False)
    assert remove_membership(membership=first) == second
    second.refresh_from_db()
    assert second.is_default
    assert remove_membership(membership=second) is None


def test_add_members_is_set_based_skips_members_and_tombstones(django_assert_max_num_queries):
    acme = OrganizationFactory(name="Acme")
    users = EndUserFactory.create_batch(30)
    MembershipFactory(user=users[0], organization=acme, is_default=True)
    MembershipFactory(user=users[1], is_default=True)
    tombstone = EndUserFactory(merged_into=users[2])
    with django_assert_max_num_queries(8):  # savepoints included; one INSERT for all of them
        new = add_members(organization=acme, user_ids=[u.pk for u in users] + [tombstone.pk])
    assert len(new) == 29
    assert not Membership.objects.get(user=users[1], organization=acme).is_default
    assert Membership.objects.get(user=users[2], organization=acme).is_default
    assert not Membership.objects.filter(user=tombstone).exists()


def test_pasted_lists_split_on_lines_commas_semicolons_and_tabs():
    entries = parse_member_list("a@x.com, b@x.com;c@x.com\n\n  \nAna <d@x.com>\te@x.com\n")
    assert [(e.line, e.text) for e in entries] == [
        (1, "a@x.com"),
        (1, "b@x.com"),
        (1, "c@x.com"),
        (4, "Ana <d@x.com>"),
        (4, "e@x.com"),
    ]


def test_each_pasted_line_is_reported_and_only_the_good_ones_are_added(django_assert_max_num_queries):
    acme = OrganizationFactory(name="Acme")
    ana = IdentityFactory(value="ana@acme.com", user=EndUserFactory(name="Ana")).user
    bruno = IdentityFactory(value="bruno@acme.com", user=EndUserFactory(name="Bruno")).user
    MembershipFactory(user=bruno, organization=acme, is_default=True)
    caio = IdentityFactory(value="caio@acme.com", user=EndUserFactory(name="Caio")).user
    IdentityFactory(value="caio.personal@example.org", user=caio)
    text = "\n".join(
        [
            "ANA@acme.com",  # 1 added (any case)
            "Bruno Lima <bruno@acme.com>",  # 2 already a member
            "nobody@acme.com",  # 3 no such profile
            "not an email",  # 4 invalid
            "ana@acme.com",  # 5 listed twice (same address)
            "caio@acme.com",  # 6 added
            "caio.personal@example.org",  # 7 listed twice (same person)
            "@acme.com",  # 8 invalid
        ]
    )
    with django_assert_max_num_queries(11):  # savepoints included; the same for 8 lines or 2,000
        report = add_members_by_email(organization=acme, text=text)
    outcomes = [(line.line, line.outcome) for line in report.lines]
    assert outcomes == [
        (1, BulkOutcome.ADDED),
        (2, BulkOutcome.ALREADY_MEMBER),
        (3, BulkOutcome.NO_PROFILE),
        (4, BulkOutcome.INVALID),
        (5, BulkOutcome.REPEATED),
        (6, BulkOutcome.ADDED),
        (7, BulkOutcome.REPEATED),
        (8, BulkOutcome.INVALID),
    ]
    assert report.lines[0].user_name == "Ana"
    assert report.lines[2].detail == "no profile has the email nobody@acme.com"
    assert report.lines[3].detail == "it has no @"
    assert report.lines[4].detail == "ana@acme.com is already on line 1"
    assert report.lines[6].detail == "Caio is already on line 6"
    assert report.added == 2
    assert report.summary == [
        ("added", "Added", 2),
        ("already_member", "Already a member", 1),
        ("no_profile", "No such profile", 1),
        ("invalid", "Invalid email", 2),
        ("repeated", "Listed twice", 2),
    ]
    assert set(Membership.objects.filter(organization=acme).values_list("user", flat=True)) == {
        ana.pk,
        bruno.pk,
        caio.pk,
    }
    assert Membership.objects.get(user=ana).is_default


def test_a_list_of_nothing_but_garbage_writes_nothing():
    acme = OrganizationFactory(name="Acme")
    report = add_members_by_email(organization=acme, text="hello\n;;;\nfoo@\nnobody@nowhere.example")
    assert [line.outcome for line in report.lines] == [
        BulkOutcome.INVALID,
        BulkOutcome.INVALID,
        BulkOutcome.NO_PROFILE,
    ]
    assert not Membership.objects.exists()
