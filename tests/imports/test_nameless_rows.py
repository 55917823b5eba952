"""Rows without a name: a new profile is named after its contact point, as intake names one, with a warning."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from imports.csvfile import make_record
from imports.models import ImportJob, ImportStatus, IssueKind
from imports.rows import UserRow, check_user_record
from imports.services import writers
from imports.services.users import name_after_contact
from profiles.models import EndUser, EndUserSource, Identity
from tests.factories import EndUserFactory, IdentityFactory
from tests.imports.helpers import issues, run_import

pytestmark = pytest.mark.django_db

HEADER = "name,email,external_id,phone,whatsapp,instagram\n"
PHONE_WARNING = "no name: the profile is named after its phone number, \u201c+55 41 96310-3529\u201d"


def test_a_nameless_row_with_a_phone_creates_a_profile_named_after_the_number(write_csv):
    job = run_import(write_csv(HEADER + "Bruno Lima,bruno@example.com,,,,\n,,crm-2,(41) 96310-3529,,\n"))
    assert job.status == ImportStatus.APPLIED
    assert (job.rows_read, job.created, job.invalid, job.conflicts, job.warned) == (2, 2, 0, 0, 1)
    assert issues(job) == [(3, "name", IssueKind.WARNING, PHONE_WARNING)]
    user = EndUser.objects.get(external_id="crm-2")
    assert (user.name, user.source) == ("+55 41 96310-3529", EndUserSource.IMPORT)
    assert list(user.identities.values_list("kind", "normalized")) == [("phone", "+5541963103529")]

    again = run_import(write_csv(HEADER + ",,crm-2,(41) 96310-3529,,\n"))
    assert (again.created, again.unchanged, again.warned) == (0, 1, 0)  # matched now: it names nobody again
    assert EndUser.objects.count() == 2


def test_a_nameless_row_is_named_after_its_first_email_before_its_phone(write_csv):
    job = run_import(write_csv(HEADER + ",ana.souza87@example.com,,+55 41 96310-3529,,@ana\n"))
    assert (job.created, job.invalid, job.warned) == (1, 0, 1)
    assert EndUser.objects.get().name == "Ana Souza"
    assert issues(job) == [
        (2, "name", IssueKind.WARNING, "no name: the profile is named after its email address, \u201cAna Souza\u201d")
    ]


def test_a_nameless_row_without_email_or_phone_is_named_after_its_handle(write_csv):
    job = run_import(write_csv(HEADER + ",,,,,@Ana.Souza\n"))
    assert (job.created, job.warned) == (1, 1)
    assert EndUser.objects.get().name == "@ana.souza"


def test_a_whatsapp_number_names_the_profile_when_there_is_no_email(write_csv):
    job = run_import(write_csv(HEADER + ",,,,+55 41 96310-3529,@ana\n"))
    assert (job.created, job.warned) == (1, 1)
    assert EndUser.objects.get().name == "+55 41 96310-3529"
    assert issues(job)[0][3] == "no name: the profile is named after its WhatsApp number, \u201c+55 41 96310-3529\u201d"


def test_a_row_with_neither_name_nor_contact_point_is_still_refused_and_writes_nothing(write_csv):
    job = run_import(write_csv(HEADER + ",,crm-9,,,\n"))
    assert (job.rows_read, job.created, job.invalid, job.warned) == (1, 0, 1, 0)
    [(line, column, kind, message)] = issues(job)
    assert (line, column, kind) == (2, "name", IssueKind.INVALID)
    assert message == (
        "a new profile needs a name or a contact point to be named after (email, phone, handle); "
        "this row has only an external id, which matches nobody"
    )
    assert not EndUser.objects.exists() and not Identity.objects.exists()


def test_a_nameless_row_that_matches_a_profile_updates_it_without_a_warning(write_csv):
    ana = EndUserFactory(name="Ana Souza")
    IdentityFactory(user=ana, kind="phone", value="+55 41 96310-3529")
    job = run_import(write_csv(HEADER + ",ana@example.com,,+55 41 96310-3529,,\n"))
    assert (job.updated, job.warned, issues(job)) == (1, 0, [])
    ana.refresh_from_db()
    assert ana.name == "Ana Souza"


def test_dry_run_reports_the_same_warning_and_writes_nothing(write_csv):
    path = write_csv(HEADER + ",,,(41) 96310-3529,,\n")
    job = run_import(path, apply=False)
    assert job.status == ImportStatus.PREVIEWED
    assert (job.created, job.invalid, job.warned) == (1, 0, 1)
    assert issues(job) == [(2, "name", IssueKind.WARNING, PHONE_WARNING)]
    assert not EndUser.objects.exists()


def test_a_nameless_row_repeating_a_number_is_a_conflict_without_a_warning(write_csv):
    # Phone and WhatsApp share E.164: line 3 is the number of line 2 again, refused, and named after nothing.
    job = run_import(write_csv(HEADER + ",,,(41) 96310-3529,,\n,,,,+55 41 96310-3529,\n"))
    assert (job.rows_read, job.created, job.conflicts, job.warned) == (2, 1, 1, 1)
    assert [(line, kind) for line, _, kind, _ in issues(job)] == [(2, IssueKind.WARNING), (3, IssueKind.CONFLICT)]
    assert EndUser.objects.count() == 1


def test_the_command_summary_lists_the_warning_apart(write_csv, capsys):
    path = write_csv(HEADER + ",,,(41) 96310-3529,,\nBruno,bruno@,,,,\n")
    call_command("import_users", str(path), "--dry-run", verbosity=0)
    out = capsys.readouterr().out
    assert "1 would be created, 0 would be updated, 0 unchanged, 0 conflicts, 1 invalid." in out
    assert "1 would be applied with a warning (listed below)." in out
    assert out.index("line 3 [email] invalid:") < out.index("Warnings (these rows are applied):")
    assert f"  line 2 [name] warning: {PHONE_WARNING}" in out
    assert not EndUser.objects.exists()

    call_command("import_users", str(path), verbosity=0)
    out = capsys.readouterr().out
    assert "1 created, 0 updated" in out and "1 applied with a warning (listed below)." in out
    assert EndUser.objects.get().name == "+55 41 96310-3529"


def test_the_web_preview_shows_the_warning_in_its_own_list(admin_client, django_capture_on_commit_callbacks):
    content = (HEADER + ",,,(41) 96310-3529,,\nBruno,bruno@,,,,\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("imports:new"),
            {"kind": "users", "create_organizations": "on", "file": SimpleUploadedFile("people.csv", content)},
        )
    job = ImportJob.objects.get()
    assert (job.status, job.created, job.invalid, job.warned) == (ImportStatus.PREVIEWED, 1, 1, 1)
    page = admin_client.get(job.get_absolute_url()).content.decode()
    refused, _, warned = page.partition("Rows to be applied with a warning")
    assert "is not a valid email address" in refused and "named after its phone number" not in refused
    assert "no name: the profile is named after its phone number, \u201c+55 41 96310-3529\u201d" in warned
    assert "With a warning" in page
    assert admin_client.get(reverse("imports:progress", args=[job.pk])).json()["warned"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("imports:apply", args=[job.pk]))
    page = admin_client.get(job.get_absolute_url()).content.decode()
    assert "Rows applied with a warning" in page and "named after its phone number" in page
    assert EndUser.objects.get().name == "+55 41 96310-3529"
    history = admin_client.get(reverse("imports:list")).content.decode()
    assert re.search(r"<th[^>]*>\s*Warnings\s*</th>", history)  # the history has a column for them


def nameless_row(*, precomputed_copy_text: bool) -> UserRow:
    row = check_user_record(make_record(("name", "phone", "email"), 2, ["", "(41) 96310-3529", ""]))
    assert isinstance(row, UserRow) and row.name is None, row
    if precomputed_copy_text:  # as a checking worker sends it on PostgreSQL, built before the row has a name
        row.copy_text = writers.copy_text(row)
    return row


def test_a_nameless_row_is_written_with_its_derived_name():
    row = nameless_row(precomputed_copy_text=connection.vendor == "postgresql")
    name_after_contact(row)
    writers.insert_profiles([row], [[]])
    assert EndUser.objects.get().name == "+55 41 96310-3529"


@pytest.mark.postgres
def test_copy_and_orm_paths_write_a_nameless_row_alike():
    def written(insert) -> tuple:
        row = nameless_row(precomputed_copy_text=True)
        name_after_contact(row)
        with transaction.atomic():
            insert([row], [[]])
            result = (
                list(EndUser.objects.values_list("name", "source", "external_id", "tags")),
                list(Identity.objects.values_list("kind", "value", "normalized", "is_primary")),
            )
            transaction.set_rollback(True)
        return result

    by_copy = written(writers.insert_by_copy)
    assert by_copy == written(writers.insert_by_orm)
    assert by_copy[0] == [("+55 41 96310-3529", EndUserSource.IMPORT, None, [])]
