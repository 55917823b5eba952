"""Concurrent deliveries on PostgreSQL: two threads, two connections, one profile per contact point.

The database's unique keys settle races: a delivery that collides with one
committed after it looked rolls back what it wrote and runs again. These tests
need real transactions in parallel, so they run on PostgreSQL only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from intake.services.contacts import IntakeResult, record_contact
from profiles.models import Contact, EndUser, Identity
from tests.concurrency import in_threads, wait_until_blocked

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def delivery(number: str, ref: str, **extra) -> Callable[[], IntakeResult]:
    return lambda: record_contact(channel="whatsapp", contact_point=number, source_ref=ref, **extra)


@pytest.mark.parametrize("round_", range(8))
def test_two_simultaneous_messages_from_a_new_number_create_one_profile_with_both_contacts(round_):
    number = f"+55119876543{round_:02d}"
    first, second = in_threads(delivery(number, f"wamid.{round_}.a"), delivery(number, f"wamid.{round_}.b"))
    assert first.user_id == second.user_id
    assert sorted([first.created_user, second.created_user]) == [False, True]
    assert EndUser.objects.count() == 1
    assert Identity.objects.get().normalized == number
    assert set(Contact.objects.values_list("requester_id", flat=True)) == {first.user_id}
    assert Contact.objects.count() == 2


@pytest.mark.parametrize("round_", range(4))
def test_the_same_message_delivered_twice_at_once_is_recorded_once(round_):
    number = f"+55119876544{round_:02d}"
    first, second = in_threads(delivery(number, "wamid.same"), delivery(number, "wamid.same"))
    assert (first.user_id, first.contact_id) == (second.user_id, second.contact_id)
    assert sorted([first.created_contact, second.created_contact]) == [False, True]
    assert (EndUser.objects.count(), Identity.objects.count(), Contact.objects.count()) == (1, 1, 1)


def test_one_message_id_sent_at_once_from_two_new_numbers_leaves_no_profile_without_its_contact():
    first, second = in_threads(delivery("+5511987654301", "wamid.x"), delivery("+5511987654302", "wamid.x"))
    assert (first.user_id, first.contact_id) == (second.user_id, second.contact_id)
    assert (EndUser.objects.count(), Identity.objects.count(), Contact.objects.count()) == (1, 1, 1)


def test_a_delivery_blocked_by_an_uncommitted_one_for_the_same_number_lands_on_its_profile_after_commit():
    """Deterministic: the second delivery looks before the first commits, so its own insert must collide."""
    number = "+5511987654399"
    first_written, commit_first = threading.Event(), threading.Event()
    results: dict[str, IntakeResult] = {}
    second_pid: list[int] = []
    second_connected = threading.Event()

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = record_contact(channel="voice", contact_point=number, source_ref="call-1")
                first_written.set()
                commit_first.wait()
        finally:
            first_written.set()
            connections.close_all()

    def second() -> None:
        try:
            connection.ensure_connection()
            second_pid.append(connection.connection.info.backend_pid)
            second_connected.set()
            results["second"] = record_contact(channel="voice", contact_point=number, source_ref="call-2")
        finally:
            second_connected.set()
            connections.close_all()

    first_thread = threading.Thread(target=first)
    first_thread.start()
    first_written.wait()
    second_thread = threading.Thread(target=second)
    second_thread.start()
    second_connected.wait()
    blocked = wait_until_blocked(second_pid, second_thread)  # on the first delivery's uncommitted identity
    commit_first.set()
    first_thread.join()
    second_thread.join()
    assert blocked
    assert results["second"].user_id == results["first"].user_id
    assert (results["first"].created_user, results["second"].created_user) == (True, False)
    assert (EndUser.objects.count(), Identity.objects.count(), Contact.objects.count()) == (1, 1, 2)


def test_a_contact_arriving_while_its_profile_is_being_merged_lands_on_the_survivor():
    survivor = EndUser.objects.create(name="Ana Souza")
    merged = EndUser.objects.create(name="Ana")
    Identity.objects.create(user=merged, kind="email", value="ana@example.com", normalized="ana@example.com")
    locked, finish = threading.Event(), threading.Event()
    intake_pid: list[int] = []
    intake_connected = threading.Event()
    results: dict[str, IntakeResult] = {}

    def merge() -> None:
        # What a merge does: lock both profiles FOR UPDATE, tombstone one, move its contacts, commit.
        try:
            with transaction.atomic():
                list(EndUser.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk]).order_by("pk"))
                EndUser.objects.filter(pk=merged.pk).update(merged_into=survivor)
                locked.set()
                finish.wait()
                Contact.objects.filter(requester=merged).update(requester=survivor)
        finally:
            locked.set()
            connections.close_all()

    def intake() -> None:
        try:
            connection.ensure_connection()
            intake_pid.append(connection.connection.info.backend_pid)
            intake_connected.set()
            results["intake"] = record_contact(channel="email", contact_point="ana@example.com", source_ref="m1")
        finally:
            intake_connected.set()
            connections.close_all()

    merge_thread = threading.Thread(target=merge)
    merge_thread.start()
    locked.wait()
    intake_thread = threading.Thread(target=intake)
    intake_thread.start()
    intake_connected.wait()
    blocked = wait_until_blocked(intake_pid, intake_thread)
    finish.set()
    merge_thread.join()
    intake_thread.join()
    assert blocked  # the intake saw the profile live, then waited for the merge at its insert
    assert results["intake"].user_id == survivor.pk
    assert Contact.objects.get().requester_id == survivor.pk


def test_a_call_and_a_whatsapp_message_from_one_new_number_at_once_make_one_profile():
    """Deterministic: phone and WhatsApp identities of one line are two kinds, which no unique key sets against
    each other; the line's lock makes the WhatsApp delivery wait for the call's profile and join it."""
    number = "+5511987654388"
    first_written, commit_first = threading.Event(), threading.Event()
    results: dict[str, IntakeResult] = {}
    second_pid: list[int] = []
    second_connected = threading.Event()

    def call() -> None:
        try:
            with transaction.atomic():
                results["call"] = record_contact(channel="voice", contact_point=number, source_ref="call-1")
                first_written.set()
                commit_first.wait()
        finally:
            first_written.set()
            connections.close_all()

    def whatsapp() -> None:
        try:
            connection.ensure_connection()
            second_pid.append(connection.connection.info.backend_pid)
            second_connected.set()
            results["whatsapp"] = record_contact(channel="whatsapp", contact_point="5511987654388", source_ref="wa-1")
        finally:
            second_connected.set()
            connections.close_all()

    call_thread = threading.Thread(target=call)
    call_thread.start()
    first_written.wait()
    whatsapp_thread = threading.Thread(target=whatsapp)
    whatsapp_thread.start()
    second_connected.wait()
    blocked = wait_until_blocked(second_pid, whatsapp_thread)  # on the line's lock, held by the call
    commit_first.set()
    call_thread.join()
    whatsapp_thread.join()
    assert blocked
    assert results["whatsapp"].user_id == results["call"].user_id
    assert (results["call"].created_user, results["whatsapp"].created_user) == (True, False)
    assert EndUser.objects.count() == 1
    assert sorted(Identity.objects.values_list("kind", "normalized")) == [
        ("phone", "+5511987654388"),
        ("whatsapp", "+5511987654388"),
    ]


@pytest.mark.parametrize("round_", range(4))
def test_calls_and_whatsapp_messages_from_one_new_number_all_at_once_make_one_profile(round_):
    number = f"+55219876543{round_:02d}"
    deliveries = [
        (lambda n=n: record_contact(channel="voice", contact_point=number, source_ref=f"call-{round_}-{n}"))
        if n % 2
        else (lambda n=n: record_contact(channel="whatsapp", contact_point=number[1:], source_ref=f"wa-{round_}-{n}"))
        for n in range(6)
    ]
    results = in_threads(*deliveries)
    assert len({result.user_id for result in results}) == 1
    assert EndUser.objects.count() == 1 and Contact.objects.count() == 6
