"""Browser fixtures: one headless Debian Chromium for the e2e package, a fresh context per test.

The browser talks to pytest-django's `live_server`, which needs transactional
database access: the server thread must see rows the test commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db.migrations.loader import MigrationLoader
from playwright.sync_api import Browser, Page, expect, sync_playwright

from zdusers.roles import sync_roles

# Every e2e staff account's password; `log_in` types it into the login form.
PASSWORD = "correct horse battery staple"

# A ceiling, not a wait: assertions pass as soon as the page shows what they expect. Playwright's 5 s default
# was too short for a live-search round trip on a 2-core machine running the other suites at the same time.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)

# Debian's package, not a Playwright download: browsers can't be fetched here.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for all e2e tests, closed when they are done.

    Package scope rather than session: while Playwright runs, the main thread
    looks async to Django (see below), so it must stop before the rest of the
    suite runs, and so must the environment variable, which child processes
    inherit (`manage.py check --deploy` refuses it).
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the e2e tests need Debian's Chromium. "
            "Install it with `apt-get install chromium` (do not run `playwright install`).",
            pytrace=False,
        )
    with pytest.MonkeyPatch.context() as env:
        # Playwright's sync API keeps an asyncio event loop on the main thread for
        # as long as it runs, and Django refuses ORM calls from a thread with a
        # running loop (SynchronousOnlyOperation). The tests and their database
        # fixtures use the ORM synchronously on that thread, outside the loop, so
        # the check is a false alarm here.
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture(scope="session")
def historical_apps():
    """The models as the migration files define them, which is what the roles data migration runs against."""
    # No connection: the state comes from the migration files alone, not from the database.
    return MigrationLoader(None, ignore_no_migrations=True).project_state().apps


@pytest.fixture
def roles(transactional_db, historical_apps) -> None:
    """Make the Agents and Admins groups exist with their permissions, as after `migrate`.

    `live_server` makes every e2e test transactional, and a transactional test
    empties every table when it ends, including the groups the data migration
    created; the flush recreates content types and permissions but not groups.
    So each test runs the migration's own `sync_roles` again (idempotent).

    Not `serialized_rollback`: once Playwright has started, Django sees a running
    event loop on the main thread and hands that thread a new database connection
    (asgiref's Local switches to context storage), which lacks the snapshot taken
    when the test database was created; the rollback then silently restores nothing.
    Not `sync_roles(django.apps.apps)` either: it resets `models_module` on the real
    app configs, which would stop later post_migrate signals for the whole session.
    """
    sync_roles(historical_apps)


@pytest.fixture
def page(browser: Browser, live_server, roles) -> Iterator[Page]:
    """A page in its own browser context (no cookies shared between tests), pointed at the live server."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def log_in(page: Page, username: str) -> Page:
    """Log `username` in through the login form, as a person does, and wait for the signed-in page."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page
