"""Importing organizations (`name, external_id, domain_names, details, notes, tags`): preview or apply.

A row updates the organization with its external_id, else the one with its name
(ignoring case), or creates one. Cells present overwrite, tags are united and
domains added (never removed). Domains go through the same checks as the
organization pages (organizations.services.domains.clean_domains): malformed,
free-mail and taken domains are refused, naming the owner. Organization files are
small, so every row goes through the organization services, in a savepoint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from django.db import transaction
from django.db.models.functions import Lower

from imports.csvfile import ORGANIZATION_COLUMNS, ORGANIZATION_KEY_COLUMNS, CsvSource
from imports.rows import OrganizationRow, Problem, check_organization_record, key_hash
from imports.seen import SeenIndex
from imports.services.users import DEFAULT_CHUNK_SIZE, Outcome
from organizations.errors import OrganizationError, OrganizationProblems
from organizations.models import Organization
from organizations.services.domains import clean_domains
from organizations.services.organizations import create_organization, update_organization

_COLUMNS = {"domains": "domain_names", "name": "name", "external_id": "external_id"}


def open_organization_file(stream: BinaryIO) -> CsvSource:
    """Read the header of an organization file; raises FileProblem for an empty, headerless or non-UTF-8 start."""
    return CsvSource(stream, known_columns=ORGANIZATION_COLUMNS, key_columns=ORGANIZATION_KEY_COLUMNS)


def import_organizations(
    *,
    source: CsvSource,
    apply: bool,
    start_after_line: int = 0,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    on_chunk: Callable[[Outcome], None] = lambda outcome: None,
) -> None:
    """Preview or apply the rows of `source`, chunk by chunk, like imports.services.users.import_users."""
    with SeenIndex() as seen:
        chunk: list = []
        for record in source.records():
            chunk.append((record.line, check_organization_record(record)))
            if len(chunk) >= chunk_size:
                _chunk(chunk, seen, source.bytes_read, apply, start_after_line, on_chunk)
                chunk = []
        if chunk:
            _chunk(chunk, seen, source.bytes_read, apply, start_after_line, on_chunk)


def _chunk(checked, seen, bytes_read, apply, start_after_line, on_chunk) -> None:
    outcome = Outcome(first_line=checked[0][0], last_line=checked[-1][0], bytes_read=bytes_read, rows=len(checked))
    rows = _without_repeats(checked, seen, outcome)
    if outcome.last_line <= start_after_line:
        return
    if apply:
        with transaction.atomic():
            for row in rows:
                _row(row, outcome, apply)
            _count(outcome)
            on_chunk(outcome)
    else:
        for row in rows:
            _row(row, outcome, apply)
        _count(outcome)
        on_chunk(outcome)


def _count(outcome: Outcome) -> None:
    outcome.problems.sort(key=lambda item: item[0])
    outcome.invalid = len({line for line, problem in outcome.problems if not problem.conflict})
    outcome.conflicts = len({line for line, problem in outcome.problems if problem.conflict})


def _without_repeats(checked, seen: SeenIndex, outcome: Outcome) -> list[OrganizationRow]:
    rows, new = [], []
    keys = {}
    for line, row in checked:
        if not isinstance(row, OrganizationRow):
            outcome.problems.extend((line, problem) for problem in row)
            continue
        own = [(row.fingerprint, "", None)]
        if row.name:
            own.append((key_hash("organization", row.name.lower()), "name", f"the name {row.name}"))
        if row.external_id:
            own.append((key_hash("external_id", row.external_id), "external_id", f"the external id {row.external_id}"))
        keys[line] = own
    earlier = seen.first_lines(h for own in keys.values() for h, _, _ in own)
    for line, row in checked:
        if line not in keys:
            continue
        problem = None
        for h, column, label in keys[line]:
            if h in earlier and problem is None:
                problem = (
                    Problem("", f"the row repeats line {earlier[h]}")
                    if label is None
                    else Problem(column, f"{label} is already on line {earlier[h]}", conflict=True)
                )
            elif h not in earlier:
                earlier[h] = line
                new.append((h, line))
        if problem is not None:
            outcome.problems.append((line, problem))
        else:
            rows.append(row)
    seen.add(new)
    return rows


def _row(row: OrganizationRow, outcome: Outcome, apply: bool) -> None:
    by_id = Organization.objects.filter(external_id=row.external_id).first() if row.external_id else None
    by_name = (
        Organization.objects.alias(lower_name=Lower("name")).filter(lower_name=row.name.lower()).first()
        if row.name
        else None
    )
    if by_id and by_name and by_id.pk != by_name.pk:
        outcome.problems.append(
            (
                row.line,
                Problem(
                    "",
                    f"the external id {row.external_id} belongs to {by_id.name} (#{by_id.pk}) but the name "
                    f"{row.name} to another organization (#{by_name.pk}); nothing was changed",
                    conflict=True,
                ),
            )
        )
        return
    organization = by_id or by_name
    if organization and row.external_id and organization.external_id not in (None, row.external_id):
        outcome.problems.append(
            (
                row.line,
                Problem(
                    "external_id",
                    f"{organization.name} (#{organization.pk}) has the external id {organization.external_id}, "
                    f"not {row.external_id}",
                    conflict=True,
                ),
            )
        )
        return
    try:
        if organization is None:
            if not row.name:
                raise _RowProblem("name", "no organization has this external id, and a new one needs a name")
            clean_domains(row.domains, organization_id=None)
            if apply:
                with transaction.atomic():
                    create_organization(
                        name=row.name,
                        details=row.details or "",
                        notes=row.notes or "",
                        tags=row.tags,
                        external_id=row.external_id,
                        domains=row.domains,
                    )
            outcome.created += 1
            return
        have = list(organization.domains.values_list("domain", flat=True))
        domains = clean_domains(have + row.domains, organization_id=organization.pk)
        values = {
            "name": row.name or organization.name,
            "details": row.details if row.details is not None else organization.details,
            "notes": row.notes if row.notes is not None else organization.notes,
            "tags": sorted(set(organization.tags) | set(row.tags)),
            "external_id": row.external_id or organization.external_id,
        }
        current = {
            "name": organization.name,
            "details": organization.details,
            "notes": organization.notes,
            "tags": sorted(organization.tags),
            "external_id": organization.external_id,
        }
        if values == current and set(domains) == set(have):
            outcome.unchanged += 1
            return
        if apply:
            with transaction.atomic():
                update_organization(organization=organization, domains=domains, **values)
        outcome.updated += 1
    except _RowProblem as problem:
        outcome.problems.append((row.line, Problem(problem.column, problem.message)))
    except OrganizationError as error:
        leaves = error.flat() if isinstance(error, OrganizationProblems) else [error]
        for leaf in leaves:
            outcome.problems.append((row.line, Problem(_COLUMNS.get(leaf.field or "", ""), leaf.message.rstrip("."))))


class _RowProblem(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column = column
        self.message = message
