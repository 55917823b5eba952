"""Concurrent merges on PostgreSQL: two threads, two connections, overlapping profiles.

A merge locks every profile it involves FOR UPDATE in ascending id order, so two
merges sharing a profile never deadlock: the second waits, then either refuses
cleanly (a profile it names became a tombstone) or works on what the first
committed. Either way every identity and contact still exists, once, on a live
profile. No sleeps: threads line up on a barrier, or a test polls
pg_stat_activity until a backend waits on a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from intake.services.contacts import IntakeResult, record_contact
from profiles.errors import MergeError
from profiles.merges.services import merge
from profiles.models import Contact, EndUser, Identity, MergeRecord
from tests.concurrency import in_threads, wait_until_blocked
from tests.factories import ContactFactory, EndUserFactory, IdentityFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def profiles(count: int) -> list[EndUser]:
    users = []
    for n in range(count):
        user = EndUserFactory(name=f"Customer {n}")
        IdentityFactory(user=user, is_primary=True)
        IdentityFactory(user=user, kind="phone", value=f"+55119876500{n:02d}", is_primary=True)
        ContactFactory.create_batch(3, requester=user)
        users.append(user)
    return users


def merging(survivor: EndUser, *others: EndUser) -> Callable[[], MergeRecord]:
    return lambda: merge(survivor=survivor, others=list(others), actor=None)


def assert_nothing_lost(users: list[EndUser], identities: int, contacts: int) -> None:
    """Every identity and contact exists once, on a live profile; every tombstone leads to a live one."""
    live = set(EndUser.objects.filter(merged_into__isnull=True).values_list("pk", flat=True))
    assert Identity.objects.count() == identities
    assert Contact.objects.count() == contacts
    assert set(Identity.objects.values_list("user_id", flat=True)) <= live
    assert set(Contact.objects.values_list("requester_id", flat=True)) <= live
    pointers = dict(EndUser.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id"))
    for tombstone in pointers:  # a chain of merges (c into b, then b into a) ends on a live profile
        target = pointers[tombstone]
        while target in pointers:
            target = pointers[target]
        assert target in live
    recorded = sorted(pk for ids in MergeRecord.objects.values_list("merged_ids", flat=True) for pk in ids)
    assert recorded == sorted(EndUser.objects.filter(merged_into__isnull=False).values_list("pk", flat=True))


def succeeded(outcomes: list[object]) -> list[MergeRecord]:
    return [outcome for outcome in outcomes if isinstance(outcome, MergeRecord)]


@pytest.mark.parametrize("round_", range(6))
def test_two_merges_taking_the_same_profile_one_wins_the_other_refuses(round_):
    a, b, c = profiles(3)
    outcomes = in_threads(merging(a, b), merging(c, b), expected=(MergeError,))
    [record] = succeeded(outcomes)
    [refusal] = [outcome for outcome in outcomes if isinstance(outcome, MergeError)]
    assert f"(#{b.pk}) was already merged into profile #{record.survivor_id}; leave it out." in str(refusal)
    assert Contact.objects.filter(requester_id=record.survivor_id).count() == 6
    assert_nothing_lost([a, b, c], identities=6, contacts=9)


@pytest.mark.parametrize("round_", range(6))
def test_two_merges_in_opposite_directions_never_deadlock(round_):
    a, b = profiles(2)
    outcomes = in_threads(merging(a, b), merging(b, a), expected=(MergeError,))
    [record] = succeeded(outcomes)
    assert Contact.objects.filter(requester_id=record.survivor_id).count() == 6
    assert_nothing_lost([a, b], identities=4, contacts=6)


@pytest.mark.parametrize("round_", range(6))
def test_chained_merges_either_refuse_or_both_apply_consistently(round_):
    a, b, c, d = profiles(4)
    outcomes = in_threads(merging(a, b, d), merging(b, c), expected=(MergeError,))
    records = succeeded(outcomes)
    if len(records) == 2:  # b absorbed c first, then a absorbed b with c's rows
        assert Contact.objects.filter(requester_id=a.pk).count() == 12
    else:
        assert [r.survivor_id for r in records] == [a.pk]  # b was a tombstone by then: refused
    assert_nothing_lost([a, b, c, d], identities=8, contacts=12)


def hold_a_merge_open(survivor: EndUser, others: list[EndUser], merged: threading.Event, finish: threading.Event):
    """A merge done but not committed until `finish` is set, in a transaction of its own."""

    def run() -> None:
        try:
            with transaction.atomic():
                merge(survivor=survivor, others=others, actor=None)
                merged.set()
                finish.wait()
        finally:
            merged.set()
            connections.close_all()

    return threading.Thread(target=run)


def blocked_call(call: Callable[[], object], outcome: dict, pid: list[int], connected: threading.Event):
    def run() -> None:
        try:
            connection.ensure_connection()
            pid.append(connection.connection.info.backend_pid)
            connected.set()
            outcome["value"] = call()
        except MergeError as refusal:
            outcome["value"] = refusal
        finally:
            connected.set()
            connections.close_all()

    return threading.Thread(target=run)


def test_a_merge_waiting_for_another_refuses_once_its_profile_became_a_tombstone():
    a, b, c = profiles(3)
    merged, finish, connected = threading.Event(), threading.Event(), threading.Event()
    outcome: dict = {}
    pid: list[int] = []
    first = hold_a_merge_open(a, [b], merged, finish)
    first.start()
    merged.wait()
    second = blocked_call(merging(c, b), outcome, pid, connected)
    second.start()
    connected.wait()
    blocked = wait_until_blocked(pid, second)
    finish.set()
    first.join()
    second.join()
    assert blocked
    assert isinstance(outcome["value"], MergeError)
    assert str(outcome["value"]) == f"Customer 1 (#{b.pk}) was already merged into profile #{a.pk}; leave it out."
    assert Contact.objects.filter(requester=a).count() == 6 and Contact.objects.filter(requester=c).count() == 3
    assert_nothing_lost([a, b, c], identities=6, contacts=9)


def test_a_contact_arriving_during_a_merge_lands_on_the_survivor():
    a, b = profiles(2)
    email = Identity.objects.get(user=b, kind="email").normalized
    merged, finish, connected = threading.Event(), threading.Event(), threading.Event()
    outcome: dict = {}
    pid: list[int] = []
    merging_thread = hold_a_merge_open(a, [b], merged, finish)
    merging_thread.start()
    merged.wait()
    delivery = blocked_call(
        lambda: record_contact(channel="email", contact_point=email, source_ref="m-1"), outcome, pid, connected
    )
    delivery.start()
    connected.wait()
    blocked = wait_until_blocked(pid, delivery)
    finish.set()
    merging_thread.join()
    delivery.join()
    assert blocked  # at its insert, FOR SHARE on the profile being merged
    result = outcome["value"]
    assert isinstance(result, IntakeResult)
    assert result.user_id == a.pk
    assert Contact.objects.filter(requester=a).count() == 7
    assert_nothing_lost([a, b], identities=4, contacts=7)
