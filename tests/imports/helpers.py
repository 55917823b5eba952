"""Running an import the way the command does, for service tests."""

from __future__ import annotations

from pathlib import Path

from imports.models import ImportJob, ImportKind
from imports.services.jobs import create_command_job, run_stream


def run_import(
    path: Path, *, apply: bool = True, kind: str = ImportKind.USERS, create_organizations: bool = True
) -> ImportJob:
    job = create_command_job(
        file_name=path.name,
        file_size=path.stat().st_size,
        kind=kind,
        create_organizations=create_organizations,
        actor=None,
    )
    with path.open("rb") as stream:
        return run_stream(job=job, stream=stream, apply=apply)


def issues(job: ImportJob) -> list[tuple[int, str, str, str]]:
    return [(i.line, i.column, i.kind, i.message) for i in job.issues.order_by("line", "id")]
