"""Checking one record of an import file on its own (no database): what it says, or every problem it has.

Every contact point goes through `profiles.identities.normalize`, tags through
`zdusers.tags.checked_tags`, domains through `organizations.domains.normalize_domain`:
the import accepts exactly what the rest of the application accepts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from django.conf import settings

from imports.columns import CHECK_ORDER, SPLIT_WORDS, CellProblem, free_text, single_line, tags_cell
from imports.csvfile import Record
from organizations.domains import normalize_domain
from organizations.errors import InvalidDomain
from profiles.errors import InvalidIdentity
from profiles.identities import key_space, normalize, split_cell
from zdusers.text import clean_name

# The spec in check order, as plain tuples (read for every row): the cells read by a parser (stored nowhere, or
# the profile's fields), the contact points, then what the row refers to.
_PARSED = tuple((c.header, c.parse, c.field) for c in CHECK_ORDER if c.kind is None and c.row_field is None)
_IDENTITIES = tuple((c.header, c.kind, c.several) for c in CHECK_ORDER if c.kind is not None)
_REFERENCES = tuple((c.header, c.parse, c.row_field) for c in CHECK_ORDER if c.row_field is not None)


@dataclass(frozen=True)
class Problem:
    """Why a row is refused: the column at fault (empty for the row as a whole) and the reason."""

    column: str
    message: str
    conflict: bool = False  # identifiers pointing at different people (not a typo in the row itself)
    profile_ids: tuple[int, ...] = ()


class RowIdentity(NamedTuple):
    """One contact point of a row. A named tuple: a 1,000,000-row file makes millions of them, in two processes."""

    kind: str
    value: str
    normalized: str
    column: str

    @property
    def key(self) -> tuple[str, str]:
        """The matching key: phone and WhatsApp share the E.164 key space."""
        return (key_space(self.kind), self.normalized)


@dataclass
class UserRow:
    """A row of an end-user file that passed every check that needs no database.

    `profile`: the value of each profile field of the spec (`imports.columns.FIELDS`),
    None when the cell is empty or the column absent: an empty cell never clears what a
    profile has.
    """

    line: int
    fingerprint: int
    profile: dict[str, Any]
    organization: str | None
    identities: list[RowIdentity] = field(default_factory=list)
    organization_id: int | None = None  # set once the organization's name is resolved
    # `key_hash` of each of `identifiers()`, in order, computed where the row is checked (maybe a worker);
    # only the hashes travel back from a worker, the identifiers are derived again when a message needs them.
    key_hashes: list[int] = field(default_factory=list)
    # Its staging COPY text on PostgreSQL (`imports.services.writers.copy_text`), built by a checking worker.
    copy_text: tuple[str, str] | None = field(default=None, compare=False)

    @property
    def name(self) -> str | None:
        return self.profile["name"]

    @property
    def external_id(self) -> str | None:
        return self.profile["external_id"]

    def identifiers(self) -> list[tuple[str, str, str]]:
        """(namespace, key, column) of everything that identifies this person, for finding repeats in the file."""
        keys = [("external_id", self.external_id, "external_id")] if self.external_id else []
        seen = set()
        for identity in self.identities:
            if identity.key not in seen:
                seen.add(identity.key)
                keys.append((identity.key[0], identity.key[1], identity.column))
        return keys


@dataclass
class OrganizationRow:
    line: int
    fingerprint: int
    name: str | None
    external_id: str | None
    details: str | None
    notes: str | None
    tags: list[str]
    domains: list[str]


def fingerprint(values: tuple[str, ...]) -> int:
    """A 64-bit hash of a whole row (cells trimmed, trailing empty cells ignored), to spot repeated rows."""
    cells = [value.strip() for value in values]
    while cells and not cells[-1]:
        cells.pop()
    digest = hashlib.blake2b("\x1f".join(cells).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def key_hash(namespace: str, key: str) -> int:
    digest = hashlib.blake2b(f"{namespace}\x1f{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def check_user_record(record: Record) -> UserRow | list[Problem]:
    """The row as an UserRow, or every problem found on it (each naming its column), in `CHECK_ORDER`."""
    cells = record.cells
    problems: list[Problem] = []
    if record.extra_fields:
        problems.append(
            Problem(
                "",
                f"the row has {record.extra_fields} field(s) more than the header has columns; "
                "a comma inside a value needs quotes around the value",
            )
        )
    profile: dict[str, Any] = {}
    identities: list[RowIdentity] = []
    seen_keys: set[tuple[str, str]] = set()
    for header, parse, name in _PARSED:
        try:
            value = parse(cells.get(header, ""))
        except CellProblem as problem:
            problems.append(Problem(header, problem.message))
            value = None
        if name is not None:
            profile[name] = value
    for header, kind, several in _IDENTITIES:
        cell = cells.get(header, "")
        if not cell:
            continue
        values = split_cell(kind, cell) if several else [cell]
        for value in values:
            try:
                normalized = _normalize(kind, value)
            except InvalidIdentity as error:
                problems.append(Problem(header, f"{error.value!r} is not a valid {error.kind}: {error.reason}"))
                continue
            if (kind, normalized) not in seen_keys:
                seen_keys.add((kind, normalized))
                identities.append(RowIdentity(kind, value.strip(), normalized, header))
    if not identities and not profile["external_id"] and not problems:
        problems.append(
            Problem(
                "",
                "the row has no email, phone, handle or external_id, so it could not be recognised on a later "
                "import (re-importing would create the person again); add one",
            )
        )
    references: dict[str, Any] = {}
    for header, parse, name in _REFERENCES:
        try:
            references[name] = parse(cells.get(header, ""))
        except CellProblem as problem:
            problems.append(Problem(header, problem.message))
    if problems:
        return problems
    row = UserRow(
        line=record.line, fingerprint=fingerprint(record.raw), profile=profile, identities=identities, **references
    )
    row.key_hashes = [key_hash(namespace, key) for namespace, key, _ in row.identifiers()]
    return row


def check_organization_record(record: Record) -> OrganizationRow | list[Problem]:
    """The row as an OrganizationRow, or every problem found on it."""
    cells = record.cells
    problems: list[Problem] = []
    if record.extra_fields:
        problems.append(
            Problem(
                "",
                f"the row has {record.extra_fields} field(s) more than the header has columns; "
                "a comma inside a value needs quotes around the value",
            )
        )
    name = _cell(cells, "name", single_line, problems)
    external_id = _cell(cells, "external_id", single_line, problems)
    if not name and not external_id and not problems:
        problems.append(Problem("name", "an organization needs a name (or an external_id to update one)"))
    domains: list[str] = []
    for value in SPLIT_WORDS.split(cells.get("domain_names", "").replace(",", " ").replace(";", " ")):
        if not value.strip():
            continue
        try:
            domain = normalize_domain(value)
        except InvalidDomain as error:
            problems.append(Problem("domain_names", error.message.rstrip(".")))
            continue
        if domain not in domains:
            domains.append(domain)
    try:
        tags = tags_cell(cells.get("tags", ""))
    except CellProblem as problem:
        problems.append(Problem("tags", problem.message))
    if problems:
        return problems
    return OrganizationRow(
        line=record.line,
        fingerprint=fingerprint(record.raw),
        name=clean_name(name) or None if name else None,
        external_id=external_id,
        details=free_text(cells.get("details", "")),
        notes=free_text(cells.get("notes", "")),
        tags=tags,
        domains=domains,
    )


@lru_cache(maxsize=4_096)  # the frequent values; bounded so memory stays flat
def _normalize_cached(kind: str, value: str, region: str | None) -> str | tuple[str, str, str]:
    try:
        return normalize(kind, value, region=region)
    except InvalidIdentity as error:
        return (error.kind, error.value, error.reason)  # a fresh exception each time, not one shared traceback


def _normalize(kind: str, value: str) -> str:
    """`profiles.identities.normalize` for a kind known to be valid, remembered per distinct value.

    Files repeat values (a company's switchboard number, a shared address); phonenumbers
    and the email validator cost tens of microseconds a value, a cache hit well under one.
    """
    result = _normalize_cached(kind, value, settings.ZDUSERS_DEFAULT_PHONE_REGION)
    if isinstance(result, tuple):
        raise InvalidIdentity(*result)
    return result


def _cell(cells: dict[str, str], column: str, parse, problems: list[Problem]):
    try:
        return parse(cells.get(column, ""))
    except CellProblem as problem:
        problems.append(Problem(column, problem.message))
        return None
