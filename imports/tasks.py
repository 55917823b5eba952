"""The import's background task, where the task queue looks for it (`imports.tasks.run_import_job`).

It is defined beside the job it runs (imports/services/jobs.py), so the two modules no longer import
each other; tasks queued before that still name this path.
"""

from __future__ import annotations

from imports.services.jobs import run_import_job

__all__ = ["run_import_job"]
