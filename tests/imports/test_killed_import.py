"""An import killed midway: every committed row is whole, the job says how far it got, and running the file
again completes it without duplicating anything. A real `manage.py import_users` process, really killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

from imports.models import ImportJob, ImportStatus
from organizations.models import Organization
from profiles.models import EndUser, Identity

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CHUNK = 20_000  # imports.services.users.DEFAULT_CHUNK_SIZE: the first chunk commits, the second one blocks


def import_command(path: Path) -> subprocess.Popen:
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )
    environment = {**os.environ, "DATABASE_URL": url, "ZDUSERS_DEFAULT_PHONE_REGION": "BR"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_users", str(path), "-v0"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_a_lock_wait(process: subprocess.Popen) -> bool:
    """Wait (on the process, never a blind sleep) until one of its backends waits on a lock, or it ends."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # a transaction sees one snapshot of the statistics
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            try:
                process.wait(timeout=0.05)
                return False
            except subprocess.TimeoutExpired:
                continue


def test_a_killed_import_keeps_whole_rows_says_how_far_it_got_and_completes_when_run_again(tmp_path):
    organization = Organization.objects.create(name="Acme")
    rows = [f"P{n},p{n}@example.com,ext-{n},,,+55 11 9{n // 10000:04d}-{n % 10000:04d},,,\n" for n in range(CHUNK)]
    rows += [f"Q{n},q{n}@example.com,,,,,,Acme,\n" for n in range(CHUNK // 2)]
    path = tmp_path / "people.csv"
    path.write_text("name,email,external_id,details,notes,phone,role,organization,tags\n" + "".join(rows))

    with transaction.atomic():
        # An email of the second chunk, taken in a transaction still open: inserting that chunk waits on it
        # (before its COMMIT is sent), and the process is killed there. Then this transaction rolls back.
        Identity.objects.create(
            user=EndUser.objects.create(name="Holder"),
            kind="email",
            value="q0@example.com",
            normalized="q0@example.com",
        )
        process = import_command(path)
        blocked = wait_for_a_lock_wait(process)
        process.send_signal(signal.SIGKILL)
        process.wait()
        transaction.set_rollback(True)
    assert blocked, process.stderr.read()

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.APPLYING  # it never finished; the history shows it stalled in time
    assert job.last_line_committed == CHUNK + 1  # the header is line 1
    assert job.created == CHUNK
    assert EndUser.objects.count() == CHUNK
    # Every committed profile is whole: its email, phone and external id, nothing of the killed chunk.
    assert Identity.objects.count() == 2 * CHUNK
    assert not EndUser.objects.filter(identities__isnull=True).exists()
    assert EndUser.objects.exclude(external_id__startswith="ext-").count() == 0

    again = import_command(path)
    stdout, stderr = again.communicate()
    assert again.returncode == 0, stderr
    assert f"{CHUNK // 2:,} created, 0 updated, {CHUNK:,} unchanged, 0 conflicts, 0 invalid" in stdout
    assert EndUser.objects.count() == CHUNK + CHUNK // 2
    assert organization.memberships.count() == CHUNK // 2
