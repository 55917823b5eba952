"""Signed out after an hour without a request, and twelve hours after signing in, whatever happens."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from zdusers.access import SessionTimeoutMiddleware

pytestmark = pytest.mark.django_db

STARTED, SEEN = SessionTimeoutMiddleware.STARTED, SessionTimeoutMiddleware.SEEN


def age_session(client, **seconds_ago: int) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"started": STARTED, "seen": SEEN}[key]] = now - ago
    session.save()


def test_an_active_agent_stays_signed_in_and_last_seen_is_written_at_most_once_a_minute(agent_client):
    assert agent_client.get("/users/").status_code == 200
    age_session(agent_client, seen=30)
    thirty_seconds_ago = agent_client.session[SEEN]

    assert agent_client.get("/users/").status_code == 200
    assert agent_client.session[SEEN] == thirty_seconds_ago  # not rewritten within the minute

    age_session(agent_client, seen=61)
    agent_client.get("/users/")
    assert agent_client.session[SEEN] >= int(time.time()) - 1


def test_an_hour_without_a_request_signs_the_agent_out_with_a_message_and_a_way_back(agent_client, settings):
    agent_client.get("/users/")
    age_session(agent_client, seen=settings.SESSION_IDLE_TIMEOUT + 1)

    answer = agent_client.get("/users/?q=ana", follow=True)

    assert answer.redirect_chain[0][0] == reverse("login") + "?next=%2Fusers%2F%3Fq%3Dana"
    assert "You were signed out after 60 minutes without activity. Sign in again." in answer.content.decode()
    assert agent_client.get("/users/").status_code == 302  # still signed out


def test_twelve_hours_after_signing_in_the_session_ends_however_active(agent_client, settings):
    agent_client.get("/users/")
    age_session(agent_client, started=settings.SESSION_ABSOLUTE_TIMEOUT + 1, seen=5)

    answer = agent_client.get("/users/", follow=True)

    assert "You were signed out: sessions last 12 hours. Sign in again." in answer.content.decode()
    assert answer.redirect_chain[0][0].startswith(reverse("login"))


def test_token_authenticated_intake_never_touches_a_session(client):
    answer = client.post("/api/inbound/", data="{}", content_type="application/json")

    assert answer.status_code == 401
    assert SEEN not in client.session
