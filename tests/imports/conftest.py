"""Fixtures of the import tests: uploads in a temporary MEDIA_ROOT, tasks run in-process, CSV files on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


@pytest.fixture(autouse=True)
def _import_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "BR"
    # The worker is not running in tests: an enqueued preview or apply runs at once, in the same thread.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def write_csv(tmp_path):
    """Write `text` (or bytes) to a file in tmp_path and return its path."""
    counter = iter(range(1_000_000))

    def write(content: str | bytes, *, name: str | None = None) -> Path:
        path = tmp_path / (name or f"file{next(counter)}.csv")
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return write
