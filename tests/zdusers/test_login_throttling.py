"""Password guessing is stopped: an account locks after AXES_FAILURE_LIMIT wrong passwords, and says so."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def agent_account(settings):
    settings.AXES_FAILURE_LIMIT = 5
    return AgentFactory(username="agent", password=PASSWORD)


def log_in(client: Client, password: str):
    return client.post("/login/", {"username": "agent", "password": password})


def test_after_the_limit_even_the_right_password_is_refused_with_a_lockout_page(agent_account):
    client = Client()
    for _ in range(4):
        assert log_in(client, "guess").status_code == 200  # the login form again, with its error
    assert log_in(client, "guess").status_code == 429  # the fifth locks the account

    locked = log_in(client, PASSWORD)

    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    logged = list(AccessFailureLog.objects.filter(username="agent").order_by("attempt_time"))
    assert [entry.locked_out for entry in logged] == [False] * 4 + [True, True]  # every try, the lock marked


def test_a_right_password_before_the_limit_logs_in_and_starts_the_count_again(agent_account):
    client = Client()
    for _ in range(4):
        log_in(client, "guess")

    assert log_in(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="agent", failures_since_start__gt=0).exists()


def test_guesses_from_many_addresses_still_lock_the_account(agent_account):
    for n in range(5):
        Client(REMOTE_ADDR=f"203.0.113.{n}").post("/login/", {"username": "agent", "password": "guess"})

    assert (
        Client(REMOTE_ADDR="198.51.100.7").post("/login/", {"username": "agent", "password": PASSWORD}).status_code
        == 429
    )


@pytest.mark.parametrize("password", ["agent123", "Summer2026", "password1234", "123456789012"])
def test_short_common_or_numeric_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("correct horse battery staple")
