"""Export in the import's own format: a file exported here imports back into the same profiles and identities.

Rows are produced lazily (`iterator(chunk_size=…)` with the identities and default
membership prefetched per chunk), so a StreamingHttpResponse or a file writer can
send a million profiles without holding them. Only live profiles are exported: a
merged-away profile is part of its survivor.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet

from imports.columns import COLUMNS, HEADERS, Exported
from imports.csvfile import ORGANIZATION_COLUMNS
from organizations.models import Membership, Organization
from profiles.models import EndUser, Identity
from zdusers.spreadsheets import as_text

CHUNK = 2_000


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]], *, bom: bool = True) -> Iterator[str]:
    """CSV text, one line per row; a BOM first so spreadsheet programs read UTF-8 names correctly, and no cell
    a spreadsheet would run as a formula (`zdusers.spreadsheets`)."""
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"
    for row in rows:
        yield writer.writerow([as_text(cell) if isinstance(cell, str) else cell for cell in row])


def enduser_rows(queryset: QuerySet[EndUser]) -> Iterator[list[str]]:
    """The header, then one row per live profile of `queryset`, in Zendesk's columns plus ours."""
    yield list(HEADERS)
    identities = Identity.objects.order_by("kind", "-is_primary", "id")
    defaults = Membership.objects.filter(is_default=True).select_related("organization")
    users = (
        queryset.filter(merged_into__isnull=True)
        .prefetch_related(
            Prefetch("identities", queryset=identities, to_attr="export_identities"),
            Prefetch("memberships", queryset=defaults, to_attr="export_defaults"),
        )
        .iterator(chunk_size=CHUNK)
    )
    for user in users:
        by_kind: dict[str, list[str]] = {}
        for identity in user.export_identities:  # primary first within each kind
            by_kind.setdefault(identity.kind, []).append(identity.value)
        organization = user.export_defaults[0].organization.name if user.export_defaults else ""
        profile = Exported(user=user, by_kind=by_kind, organization=organization)
        yield [column.exported(profile) for column in COLUMNS]


def organization_rows(queryset: QuerySet[Organization]) -> Iterator[list[str]]:
    """The header, then one row per organization, with its domains space-separated."""
    yield list(ORGANIZATION_COLUMNS)
    for organization in queryset.prefetch_related("domains").iterator(chunk_size=CHUNK):
        yield [
            organization.name,
            organization.external_id or "",
            " ".join(domain.domain for domain in organization.domains.all()),
            organization.details,
            organization.notes,
            " ".join(organization.tags),
        ]
