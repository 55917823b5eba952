"""Personas shared by every test: an anonymous visitor, an agent and an admin."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import AdminFactory, AgentFactory


@pytest.fixture
def agent(db):
    return AgentFactory(username="agent")


@pytest.fixture
def admin_user(db):
    return AdminFactory(username="admin")


@pytest.fixture
def agent_client(agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


@pytest.fixture
def admin_client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def superuser_client(db) -> Client:
    from tests.factories import StaffUserFactory

    client = Client()
    client.force_login(StaffUserFactory(username="root", is_superuser=True))
    return client


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
    """Run the real task worker over what is queued (`db_worker --batch`), as `make run` and production do."""
    from django.core.management import call_command

    def run() -> None:
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    return run
