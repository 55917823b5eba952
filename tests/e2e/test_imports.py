"""An admin uploads a small CSV in Chromium, reads the preview with an invalid row explained, applies it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from profiles.models import EndUser
from tests.e2e.test_login import PASSWORD, log_in
from tests.factories import AdminFactory

pytestmark = pytest.mark.e2e

CSV = (
    "name;email;external_id;phone;tags\n"
    "Ana Souza;ana.souza@example.com;crm-1;+55 11 98765-4321;vip\n"
    "Bruno Lima;bruno@;crm-2;;\n"
    "Carla Mendes;carla@example.com;crm-3;;\n"
)


@pytest.fixture
def admin_user(roles, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # No worker in tests: the queued preview and apply run at once, inside the request that queues them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return AdminFactory(username="admin", password=PASSWORD)


def test_admin_uploads_previews_and_applies_a_csv(page: Page, live_server, admin_user, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(CSV, encoding="utf-8-sig")
    log_in(page, "admin", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    page.get_by_role("link", name="Import the first file").click()
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_text("Preview ready")).to_be_visible()
    expect(page.get_by_text("nothing has been changed yet")).to_be_visible()
    expect(
        page.get_by_role("cell", name="'bruno@' is not a valid email address: nothing comes after the @")
    ).to_be_visible()
    assert not EndUser.objects.exists()

    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Importing the same file again changes nothing")).to_be_visible()
    page.get_by_role("link", name="See the imported profiles").click()
    expect(page.get_by_role("link", name="Ana Souza")).to_be_visible()
    expect(page.get_by_role("link", name="Carla Mendes")).to_be_visible()
    assert sorted(EndUser.objects.values_list("name", flat=True)) == ["Ana Souza", "Carla Mendes"]
