"""Settings come from the environment; production-like settings pass `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from zdusers.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_with_production_settings_reports_only_the_accepted_hsts_preload_warning():
    result = run_manage(
        "check",
        "--deploy",
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-production-like-secret-" + "x" * 30,
        ALLOWED_HOSTS="desk.example.com",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "security.W021" in output
    assert "System check identified 1 issue" in output


def test_the_checks_migrate_runs_on_sqlite_report_no_warnings(tmp_path):
    # `migrate` checks the models against the database; `check --database` runs the same checks.
    result = run_manage("check", "--database", "default", DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output and "W040" not in output


def test_without_debug_a_missing_secret_key_stops_the_process_with_a_clear_message():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_boolean_and_number_variables_refuse_typos(monkeypatch):
    monkeypatch.setenv("ZD_FLAG", "maybe")
    monkeypatch.setenv("ZD_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="ZD_FLAG='maybe' is not a boolean"):
        env_bool("ZD_FLAG", False)
    with pytest.raises(ImproperlyConfigured, match="ZD_NUMBER='ten' is not a whole number"):
        env_int("ZD_NUMBER", 1)


def test_lists_are_comma_separated_and_defaults_apply_when_unset(monkeypatch):
    monkeypatch.setenv("ZD_HOSTS", " a.example, b.example ,")
    monkeypatch.delenv("ZD_UNSET", raising=False)
    assert env_list("ZD_HOSTS", []) == ["a.example", "b.example"]
    assert env_list("ZD_UNSET", ["x"]) == ["x"]
    monkeypatch.setenv("ZD_FLAG", "Yes")
    assert env_bool("ZD_FLAG", False) is True


def test_a_possible_duplicate_threshold_above_the_likely_one_stops_the_process_with_a_clear_message():
    result = run_manage("check", ZDUSERS_DUPLICATE_THRESHOLD="50", ZDUSERS_POSSIBLE_DUPLICATE_THRESHOLD="70")
    assert result.returncode != 0
    assert (
        "ZDUSERS_POSSIBLE_DUPLICATE_THRESHOLD must be between 0 and ZDUSERS_DUPLICATE_THRESHOLD, "
        "which must be at most 100 (got 70 and 50)." in result.stderr
    )


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
