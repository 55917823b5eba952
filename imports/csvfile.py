"""Reading an import file as it streams: UTF-8 lines (BOM or not), comma or semicolon, a header, then records.

Nothing here touches the database. The file is read line by line from a binary
stream, so memory does not grow with the file; each record knows the line of the
file it starts on (the header is line 1), so every message can name it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import BinaryIO

from imports.columns import HEADERS, KEY_HEADERS, ZENDESK_HEADERS
from imports.errors import FileProblem
from zdusers.spreadsheets import from_text

# The end-user file's columns, from their one spec (imports.columns).
USER_COLUMNS = ZENDESK_HEADERS  # Zendesk's bulk user import columns
ALL_USER_COLUMNS = HEADERS
# Columns a row can be matched by: a header without any of them cannot update or create anyone safely.
USER_KEY_COLUMNS = KEY_HEADERS

ORGANIZATION_COLUMNS = ("name", "external_id", "domain_names", "details", "notes", "tags")
ORGANIZATION_KEY_COLUMNS = ("name", "external_id")

# Header spellings seen in spreadsheets and other desks' exports, mapped to ours.
_ALIASES = {"externalid": "external_id", "domains": "domain_names", "domain": "domain_names", "twitter": "x"}
_DELIMITERS = (",", ";")
_PREVIEW = 60


@dataclass(frozen=True)
class Record:
    """One row of the file: the cells of the known columns by name, and what was wrong with its shape."""

    line: int
    cells: dict[str, str]
    extra_fields: int = 0  # fields beyond the header's columns (the row is refused)
    raw: tuple[str, ...] = ()


@dataclass
class CsvSource:
    """A binary stream read as CSV records. `bytes_read` grows as records are taken (for progress bars)."""

    stream: BinaryIO
    known_columns: tuple[str, ...]
    key_columns: tuple[str, ...]
    columns: list[str | None] = field(default_factory=list)  # per position: our column name, None when ignored
    warnings: list[str] = field(default_factory=list)
    delimiter: str = ","
    bytes_read: int = 0

    def __post_init__(self) -> None:
        self._lines = self._decoded_lines()
        first = next(self._lines, None)
        if first is None:
            raise FileProblem(
                "The file is empty. The first line must be the header naming the columns "
                f"({', '.join(self.known_columns[:6])}, …).",
                line=1,
            )
        if not first.strip():
            raise FileProblem(
                "Line 1 is blank. The first line must be the header naming the columns "
                f"({', '.join(self.known_columns[:6])}, …).",
                line=1,
            )
        self.delimiter = max(_DELIMITERS, key=lambda d: (first.count(d), d == ","))
        self._reader = csv.reader(_chain([first], self._lines), delimiter=self.delimiter, strict=False)
        header = next(self._reader)
        self._read_header(header, first)

    def _read_header(self, header: list[str], first_line: str) -> None:
        names = [_column_name(cell) for cell in header]
        known = set(self.known_columns)
        seen: dict[str, int] = {}
        unknown = []
        for position, name in enumerate(names, start=1):
            if name in known:
                if name in seen:
                    raise FileProblem(
                        f"Line 1 (the header) names the column {name!r} twice (columns {seen[name]} and {position}); "
                        "keep one.",
                        line=1,
                    )
                seen[name] = position
                self.columns.append(name)
            else:
                self.columns.append(None)
                if header[position - 1].strip():
                    unknown.append(header[position - 1].strip())
        if not seen:
            raise FileProblem(
                "Line 1 must be the header naming the columns "
                f"({', '.join(self.known_columns[:6])}, …), but it names none of them: "
                f"{first_line.strip()[:_PREVIEW]!r}. Add the header line and upload the file again.",
                line=1,
            )
        if not any(name in seen for name in self.key_columns):
            raise FileProblem(
                "The header has no column to recognise rows by: add one of "
                f"{', '.join(self.key_columns)} (line 1 has {', '.join(seen)}).",
                line=1,
            )
        if unknown:
            self.warnings.append(
                f"Line 1: unknown column(s) {', '.join(repr(u) for u in unknown)} ignored. "
                f"Known columns: {', '.join(self.known_columns)}."
            )

    def records(self) -> Iterator[Record]:
        """Every non-blank row after the header, in file order. Raises FileProblem on broken CSV, naming the line."""
        make = partial(make_record, tuple(self.columns))
        for line, fields in self.raw_rows():
            yield make(line, fields)

    def raw_rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line, fields) of every non-blank row, for `make_record` to turn into a Record (maybe in another
        process). Raises FileProblem on broken CSV, naming the line."""
        reader = self._reader
        previous_end = reader.line_num
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise FileProblem(
                    f"Line {previous_end + 1} cannot be read as CSV ({error}); check its quotes.",
                    line=previous_end + 1,
                ) from None
            line = previous_end + 1
            previous_end = reader.line_num
            if not fields or not any(value.strip() for value in fields):
                continue
            yield line, fields

    def _decoded_lines(self) -> Iterator[str]:
        for number, raw in enumerate(self.stream, start=1):
            self.bytes_read += len(raw)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                bad = raw[error.start : error.start + 4]
                raise FileProblem(
                    f"Line {number} is not UTF-8 text (bytes {bad!r} at character {error.start + 1}). "
                    "Save the file as “CSV UTF-8” from your spreadsheet program and upload it again.",
                    line=number,
                ) from None
            if number == 1:
                text = text.removeprefix("\ufeff")
            yield text


def make_record(columns: tuple[str | None, ...], line: int, fields: list[str]) -> Record:
    """The Record of one row's fields, given the header's column per position (None: ignored)."""
    cells = {name: from_text(value.strip()) for name, value in zip(columns, fields, strict=False) if name is not None}
    return Record(line=line, cells=cells, extra_fields=max(0, len(fields) - len(columns)), raw=tuple(fields))


def _column_name(cell: str) -> str:
    name = re.sub(r"[\s\-]+", "_", cell.strip().lower().lstrip("\ufeff"))
    return _ALIASES.get(name, name)


def _chain(first: Iterable[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest
