"""Background task: the preview and the apply of an import run on the task queue's worker (`db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: int, apply: bool) -> None:
    """Preview (`apply` false) or apply the import `job_id`; progress and outcome are written on the job."""
    from imports.services.jobs import run_job

    run_job(job_id=job_id, apply=apply)
