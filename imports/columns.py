"""The columns of an end-user file: ONE declarative spec that the import and the export derive from.

Each `Column` says, for one CSV header name, how its cell is read (`parse`: the
cell's text → a value, or `CellProblem` with the reason) and where the value goes:

- `field`: an `EndUser` field of the same name. The checked row carries the value
  (`UserRow.profile[field]`), the worker sends it back, the PostgreSQL path stages and
  COPYs it in a column of the field's own SQL type, the SQLite path passes it to the
  model, an update compares it (`update`), and the export writes it (`export`).
- `kind`: a contact point (`Identity` of that kind); `split` says how the cell holds
  several (None: the cell is one value).
- `row_field`: a `UserRow` attribute the import resolves further (`organization`: a
  membership, by name).
- none of these: checked, never stored (`role`).

Everything else — the header lists, the key columns, the check order, the staging
DDL, the COPY text, the INSERT … SELECT, the export's header and cells — is derived
from `COLUMNS` (here and in `imports.rows`, `imports.checking`,
`imports.services.writers`, `imports.services.users`, `imports.export`). Adding a
profile column is one entry here plus its tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from profiles.identities import KIND_RULES, IdentityKind, join_cell
from zdusers.tags import TooManyTags, checked_tags
from zdusers.text import clean_name

MAX_TEXT = 255
END_USER_ROLES = {"", "end-user", "end_user", "enduser", "end user"}
EXPORTED_ROLE = "end-user"
# Emails and handles cannot contain spaces, so a space separates them too; phone numbers can, so only "|".
SPLIT_WORDS = re.compile(r"[|\s]+")  # an organization's domain names


class CellProblem(Exception):
    """Why a cell cannot be read: a sentence about its value, reported with the column's name."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Exported:
    """What the export knows of one live profile: the profile, its identity values by kind (primary first within
    each kind), and its default organization's name."""

    user: Any  # an EndUser
    by_kind: dict[str, list[str]]
    organization: str


@dataclass(frozen=True)
class Column:
    """One CSV column of an end-user file; see the module docstring."""

    header: str
    parse: Callable[[str], Any] | None = None  # profile fields, organization, role
    field: str | None = None  # the EndUser field (and UserRow.profile key) it writes
    row_field: str | None = None  # else the UserRow attribute it sets
    # How an update treats a present value: "overwrite" when it differs, "fill" only when the profile has none,
    # "union" (lists): the profile keeps its values and gains the row's.
    update: str = "overwrite"
    kind: str | None = None  # an identity column: the Identity kind of its values
    several: bool = False  # an identity column holding several values (split as profiles.identities.KIND_RULES says)
    export: Callable[[Exported], str] | None = None  # None for a field: its value, "" for None, lists space-joined
    zendesk: bool = False  # one of Zendesk's own user-import columns
    key: bool = False  # a row can be recognised by it

    def exported(self, profile: Exported) -> str:
        """This column's cell for `profile` in an export (that imports back to the same profile)."""
        if self.export is not None:
            return self.export(profile)
        if self.field is not None:
            value = getattr(profile.user, self.field)
            if value is None:
                return ""
            return " ".join(value) if isinstance(value, list) else str(value)
        values = profile.by_kind.get(self.kind, [])
        if not self.several:
            return values[0] if values else ""
        if self.kind in _SINGLE_VALUE_KINDS:
            values = values[1:]  # the first is in the kind's single-value column
        return join_cell(self.kind, values)


# --- cell parsers: a cell's text (trimmed, maybe empty) → the value, or CellProblem --------------------------


def single_line(value: str) -> str | None:
    """Text of at most MAX_TEXT characters on one line; None when empty."""
    if not value:
        return None
    if len(value) > MAX_TEXT:
        raise CellProblem(f"it is {len(value)} characters long; at most {MAX_TEXT} fit")
    if any(ch in value for ch in "\r\n"):
        raise CellProblem("it spans several lines; keep it on one")
    return value


def tags_cell(value: str) -> list[str]:
    """The cell's tags, normalized (zdusers.tags); more than MAX_TAGS is a problem with the cell."""
    try:
        return checked_tags(value)
    except TooManyTags as error:
        raise CellProblem(error.message.rstrip(".")) from None


def single_line_collapsed(value: str) -> str | None:
    """`single_line` with runs of spaces made one (a name)."""
    text = single_line(value)
    return clean_name(text) if text is not None else None


def free_text(value: str) -> str | None:
    """Any text, several lines allowed; None when empty."""
    return value or None


def end_user_role(value: str) -> None:
    """Only end users are imported: the role is checked and never stored."""
    if value.lower() not in END_USER_ROLES:
        raise CellProblem(
            f"the role is {value!r}: only end users are imported here (leave it empty or write end-user); "
            "add agents and admins as staff accounts"
        )


def _handle_column(kind: str) -> Column:
    return Column(kind, kind=kind, several=True, key=True)


# Zendesk's bulk user import columns first, then ours (more identities, one column per messaging kind).
# This order is the export's (and the sample's) header order.
COLUMNS: tuple[Column, ...] = (
    Column("name", single_line_collapsed, field="name", zendesk=True),
    Column("email", kind=IdentityKind.EMAIL, zendesk=True, key=True),
    Column("external_id", single_line, field="external_id", update="fill", zendesk=True, key=True),
    Column("details", free_text, field="details", zendesk=True),
    Column("notes", free_text, field="notes", zendesk=True),
    Column("phone", kind=IdentityKind.PHONE, zendesk=True, key=True),
    Column("role", end_user_role, export=lambda profile: EXPORTED_ROLE, zendesk=True),
    Column(
        "organization",
        single_line_collapsed,
        row_field="organization",
        export=lambda profile: profile.organization,
        zendesk=True,
    ),
    Column("tags", tags_cell, field="tags", update="union", zendesk=True),
    Column("emails", kind=IdentityKind.EMAIL, several=True, key=True),
    Column("phones", kind=IdentityKind.PHONE, several=True, key=True),
    Column("whatsapp", kind=IdentityKind.WHATSAPP, several=True, key=True),
    *(_handle_column(kind) for kind, rules in KIND_RULES.items() if rules.normalizer == "handle"),
)

_KINDS = list(IdentityKind)
_ORDER = {column.header: position for position, column in enumerate(COLUMNS)}


def _check_phase(column: Column) -> tuple[int, int, int]:
    # What is stored nowhere (the role) first, then the profile's fields, the contact points grouped by kind (a
    # kind's single-value column before its list), what the row refers to (its organization) last: the order a
    # row's problems are reported in.
    if column.row_field is not None:
        return (3, 0, _ORDER[column.header])
    if column.kind is not None:
        return (2, _KINDS.index(column.kind), _ORDER[column.header])
    if column.field is not None:
        return (1, 0, _ORDER[column.header])
    return (0, 0, _ORDER[column.header])


CHECK_ORDER: tuple[Column, ...] = tuple(sorted(COLUMNS, key=_check_phase))
HEADERS: tuple[str, ...] = tuple(column.header for column in COLUMNS)
ZENDESK_HEADERS: tuple[str, ...] = tuple(column.header for column in COLUMNS if column.zendesk)
KEY_HEADERS: tuple[str, ...] = tuple(column.header for column in CHECK_ORDER if column.key)
FIELD_COLUMNS: tuple[Column, ...] = tuple(column for column in COLUMNS if column.field is not None)
FIELDS: tuple[str, ...] = tuple(column.field for column in FIELD_COLUMNS)
IDENTITY_COLUMNS: tuple[Column, ...] = tuple(column for column in CHECK_ORDER if column.kind is not None)
# Kinds with a single-value column (email, phone): their list column holds the values after the first.
_SINGLE_VALUE_KINDS = {column.kind for column in COLUMNS if column.kind is not None and not column.several}
