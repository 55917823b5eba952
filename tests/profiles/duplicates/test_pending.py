"""Intake's duplicate checks wait for the task worker: one per profile, run by one task, never lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from intake.services.contacts import record_contact
from profiles.duplicates import tasks
from profiles.duplicates.pending import pending_checks, queue_check, run_pending_checks
from profiles.models import DuplicateCandidate, EndUser, PendingDuplicateCheck
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory

pytestmark = pytest.mark.django_db


def customer(name: str, phone: str) -> EndUser:
    user = EndUserFactory(name=name)
    add_identity(user=user, kind="phone", value=phone)
    return user


def waiting_tasks() -> int:
    return DBTaskResult.objects.filter(
        task_path=tasks.check_pending_profiles.module_path, status=TaskResultStatus.READY
    ).count()


def test_a_busy_profile_waits_once_and_one_task_runs_every_waiting_check(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = record_contact(channel="whatsapp", contact_point="5511937654321", name="Ana Souza", source_ref="m1")
        record_contact(
            channel="whatsapp", contact_point="5511937654321", source_ref="m2", identities=[("email", "ana@x.com")]
        )
        record_contact(channel="whatsapp", contact_point="5521998887766", name="Bruno Lima", source_ref="m3")

    assert PendingDuplicateCheck.objects.count() == 2  # Ana twice, Bruno once
    assert PendingDuplicateCheck.objects.filter(user_id=first.user_id).exists()
    assert waiting_tasks() == 1


def test_the_worker_runs_the_checks_and_each_leaves_with_its_result(django_capture_on_commit_callbacks, task_worker):
    with django_capture_on_commit_callbacks(execute=True):  # Ana's own keys, written when her phone was added
        ana = customer("Ana Souza", "+55 11 93765-4321")
    with django_capture_on_commit_callbacks(execute=True):
        result = record_contact(channel="whatsapp", contact_point="551137654321", name="Ana Souza")
    assert not DuplicateCandidate.objects.exists()

    task_worker()

    candidate = DuplicateCandidate.objects.get()
    assert {candidate.low_id, candidate.high_id} == {ana.pk, result.user_id}
    assert not PendingDuplicateCheck.objects.exists()
    assert waiting_tasks() == 0


def test_checks_left_by_a_worker_killed_mid_batch_run_with_the_next_task(
    django_capture_on_commit_callbacks, task_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        ana = customer("Ana Souza", "+55 11 93765-4321")
    with django_capture_on_commit_callbacks(execute=True):  # queues the new profile's check and a task
        twin = EndUser.objects.get(pk=record_contact(channel="whatsapp", contact_point="551137654321").user_id)
    # The worker claimed the task and died: it stays RUNNING, and the row stays queued.
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).get().claim("killed-worker")
    assert waiting_tasks() == 0

    with django_capture_on_commit_callbacks(execute=True):  # the next contact from a new number
        record_contact(channel="whatsapp", contact_point="5531977776666", name="Carla Dias")
    assert waiting_tasks() == 1
    task_worker()

    assert not PendingDuplicateCheck.objects.exists()
    assert DuplicateCandidate.objects.filter(low_id=min(ana.pk, twin.pk), high_id=max(ana.pk, twin.pk)).exists()


def test_profiles_given_in_conversations_add_up_while_the_check_waits():
    ana, bruno, carla = (EndUserFactory() for _ in range(3))

    queue_check(user_id=ana.pk, conflicting_ids=[carla.pk])
    queue_check(user_id=ana.pk)
    queue_check(user_id=ana.pk, conflicting_ids=[bruno.pk, carla.pk])

    assert PendingDuplicateCheck.objects.get().conflicting_ids == sorted([bruno.pk, carla.pk])


def test_a_deleted_profile_takes_its_waiting_check_with_it():
    ana = EndUserFactory()
    queue_check(user_id=ana.pk)

    ana.delete()

    assert run_pending_checks() == 0


def test_the_queue_says_how_many_checks_wait_and_asks_about_the_worker_when_they_lag(agent_client):
    ana = EndUserFactory()
    queue_check(user_id=ana.pk)

    fresh = agent_client.get("/duplicates/").content.decode()
    assert "1 profile from the channels is waiting for its duplicate check" in fresh
    assert "db_worker" not in fresh

    PendingDuplicateCheck.objects.update(queued_at=timezone.now() - timedelta(minutes=30))
    lagging = agent_client.get("/duplicates/").content.decode()
    assert "is the task worker running?" in lagging
    assert pending_checks().count == 1


def test_nothing_waiting_says_nothing(agent_client):
    assert "waiting for" not in agent_client.get("/duplicates/").content.decode()


def test_the_note_is_in_the_agent_s_language(agent_client):
    queue_check(user_id=EndUserFactory().pk)
    queue_check(user_id=EndUserFactory().pk)

    page = agent_client.get("/duplicates/", headers={"accept-language": "pt-BR"}).content.decode()

    assert "2 perfis dos canais aguardam a verificação de duplicados" in page
