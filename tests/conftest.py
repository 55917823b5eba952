"""Personas shared by every test: an anonymous visitor, an agent and an admin."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from tests.factories import AdminFactory, AgentFactory


@pytest.fixture(autouse=True)
def back_to_english():
    """A request activates its language on the test's thread (LocaleMiddleware); the next test starts in English."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_routing_rules():
    """Each test starts with no compiled routing rules in this process, so intake's query counts don't depend on
    which test ran before (a rolled-back test leaves a cached stamp that the next one's first contact rechecks)."""
    from organizations.routing import rules

    rules.forget()
    yield
    rules.forget()


@pytest.fixture
def agent(db):
    return AgentFactory(username="agent")


@pytest.fixture
def admin_user(db):
    return AdminFactory(username="admin")


def signed_in_client(user) -> Client:
    """A client signed in as `user` the way the login page leaves it: the session knows when it started and
    was last seen (zdusers.access.SessionTimeoutMiddleware), so a page's first request writes nothing."""
    from zdusers.access import SessionTimeoutMiddleware

    client = Client()
    client.force_login(user)
    session = client.session
    session[SessionTimeoutMiddleware.STARTED] = session[SessionTimeoutMiddleware.SEEN] = int(time.time())
    session.save()
    return client


@pytest.fixture
def agent_client(agent) -> Client:
    return signed_in_client(agent)


@pytest.fixture
def admin_client(admin_user) -> Client:
    return signed_in_client(admin_user)


@pytest.fixture
def superuser_client(db) -> Client:
    from tests.factories import StaffUserFactory

    return signed_in_client(StaffUserFactory(username="root", is_superuser=True))


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` exercise PostgreSQL-only paths: they run when DATABASE_URL is
    PostgreSQL (as in CI's second pass) and are deselected — not skipped — on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]


@pytest.fixture
def task_worker(db):
    """Run what is queued as `db_worker` does: claim each ready task and run it with the worker's own
    `run_task`. The command itself is not called: between tasks it closes database connections that are not
    in autocommit, which ends the test's transaction on PostgreSQL."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )

    def run() -> None:
        for queued in DBTaskResult.objects.ready().filter(backend_name="default").order_by("enqueued_at"):
            queued.claim(worker.worker_id)
            worker.run_task(queued)

    return run
