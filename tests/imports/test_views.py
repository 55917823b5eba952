"""The import pages: upload, preview, apply, progress, problem report, history, exports, and who may use them."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportJob, ImportStatus
from profiles.models import EndUser
from tests.imports.conftest import SAMPLES

pytestmark = pytest.mark.django_db

CSV = b"name,email,external_id,phone\nAna Souza,ana@example.com,crm-1,\nBruno,bruno@,crm-2,\n"


def upload(client, content=CSV, **data):
    payload = {"kind": "users", "create_organizations": "on", "file": SimpleUploadedFile("people.csv", content)}
    payload.update(data)
    return client.post(reverse("imports:new"), payload)


def test_upload_previews_in_the_background_and_changes_nothing(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    assert (job.created, job.invalid) == (1, 1)
    assert not EndUser.objects.exists()
    page = admin_client.get(job.get_absolute_url()).content.decode()
    assert "To create" in page and "nothing has been changed yet" in page
    assert "&#x27;bruno@&#x27; is not a valid email address: nothing comes after the @" in page
    assert ">Apply</button>" in page


def test_apply_creates_the_valid_rows_and_the_page_says_so(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client)
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("imports:apply", args=[job.pk]))
    response = admin_client.get(job.get_absolute_url())
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED
    assert list(EndUser.objects.values_list("name", flat=True)) == ["Ana Souza"]
    page = response.content.decode()
    assert "Applying people.csv in the background." in page
    assert "Created" in page and "Importing the same file again changes nothing" in page
    assert job.preview_counts["created"] == 1


def test_applying_twice_is_refused_with_a_message(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client)
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("imports:apply", args=[job.pk]))
    response = admin_client.post(reverse("imports:apply", args=[job.pk]), follow=True)
    assert "This import was applied already." in response.content.decode()
    assert EndUser.objects.count() == 1


def test_progress_json_and_problem_report(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client)
    job = ImportJob.objects.get()
    data = admin_client.get(reverse("imports:progress", args=[job.pk])).json()
    assert data["status"] == "previewed" and data["percent"] == 100 and data["invalid"] == 1
    response = admin_client.get(reverse("imports:report_csv", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows == [
        ["line", "column", "problem", "reason", "profiles"],
        ["3", "email", "invalid", "'bruno@' is not a valid email address: nothing comes after the @", ""],
    ]


def test_empty_upload_is_refused_on_the_form(admin_client):
    response = upload(admin_client, content=b"")
    assert response.status_code == 400
    assert "The file was not uploaded; see the reason below." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_tampered_kind_is_refused_and_nothing_is_stored(admin_client):
    response = upload(admin_client, kind="agents")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_apply_of_a_missing_job_is_404(admin_client):
    assert admin_client.post(reverse("imports:apply", args=[999])).status_code == 404


def test_wrong_encoding_upload_shows_the_reason_and_cannot_be_applied(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, content=b"name,email\nJos\xe9,jose@example.com\n")
    job = ImportJob.objects.get()
    page = admin_client.get(job.get_absolute_url()).content.decode()
    assert "Line 2 is not UTF-8 text" in page and "Nothing was changed." in page
    response = admin_client.post(reverse("imports:apply", args=[job.pk]), follow=True)
    assert "This file cannot be imported as it is" in response.content.decode()
    assert not EndUser.objects.exists()


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "imports:list", []),
        ("get", "imports:new", []),
        ("post", "imports:new", []),
        ("get", "imports:export_endusers", []),
        ("get", "imports:export_organizations", []),
    ],
)
def test_agents_without_import_permission_get_403(agent_client, method, name, args):
    response = getattr(agent_client, method)(reverse(name, args=args))
    assert response.status_code == 403


def test_agent_cannot_upload_or_apply_and_nothing_is_written(
    agent_client, admin_client, django_capture_on_commit_callbacks
):
    response = upload(agent_client)
    assert response.status_code == 403
    assert not ImportJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client)
    job = ImportJob.objects.get()
    for name in ("imports:detail", "imports:progress", "imports:report_csv"):
        assert agent_client.get(reverse(name, args=[job.pk])).status_code == 403
    assert agent_client.post(reverse("imports:apply", args=[job.pk])).status_code == 403
    assert not EndUser.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("imports:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_apply_is_post_only(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client)
    job = ImportJob.objects.get()
    assert admin_client.get(reverse("imports:apply", args=[job.pk])).status_code == 405


def test_history_lists_imports_within_a_few_queries(
    admin_client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            upload(admin_client)
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("imports:list"))
    page = response.content.decode()
    assert page.count(">people.csv<") == 3 and "Preview ready" in page
    job = ImportJob.objects.first()
    with django_assert_max_num_queries(8):
        assert admin_client.get(job.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(5):
        assert admin_client.get(reverse("imports:progress", args=[job.pk])).status_code == 200


def test_nav_shows_imports_to_admins_only(admin_client, agent_client):
    assert 'href="/imports/"' in admin_client.get(reverse("home")).content.decode()
    assert 'href="/imports/"' not in agent_client.get(reverse("home")).content.decode()


def test_exports_stream_users_and_organizations(admin_client):
    from tests.imports.helpers import run_import

    run_import(SAMPLES / "organizations.csv", kind="organizations")
    run_import(SAMPLES / "users.csv")
    users = b"".join(admin_client.get(reverse("imports:export_endusers")).streaming_content).decode("utf-8-sig")
    assert users.splitlines()[0].startswith("name,email,external_id,details,notes,phone,role,organization,tags")
    assert len(list(csv.reader(io.StringIO(users)))) == 6
    orgs = b"".join(admin_client.get(reverse("imports:export_organizations")).streaming_content).decode("utf-8-sig")
    assert "Acme Logística,org-1,acme-logistica.example acme.example," in orgs


def test_an_applied_import_is_scanned_for_duplicates_of_existing_profiles(
    admin_client, django_capture_on_commit_callbacks
):
    from profiles.models import DuplicateCandidate
    from profiles.services.identities import add_identity
    from tests.factories import EndUserFactory

    with django_capture_on_commit_callbacks(execute=True):  # checked when created: its keys are stored
        existing = EndUserFactory(name="Ana Souza")
        add_identity(user=existing, kind="email", value="ana.souza@gmail.com")
    content = b"name,email,external_id\nAna Souza,anasouza+shop@gmail.com,crm-9\n"
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, content=content)
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("imports:apply", args=[job.pk]))

    imported = EndUser.objects.get(external_id="crm-9")
    candidate = DuplicateCandidate.objects.get()
    assert {candidate.low_id, candidate.high_id} == {existing.pk, imported.pk}
