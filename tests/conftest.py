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
