"""What earlier lines of the file already said: repeated rows and identifiers, found without holding the file.

A 64-bit hash of each row and of each identifier (external id, email, phone key,
handle) maps to the first line that had it. The map never lives in Python memory, so
memory stays flat however long the file is: on PostgreSQL it is a TEMP table of the
import's connection, filled with COPY and probed through its primary key with one
array parameter per chunk; on SQLite a throwaway SQLite file (the standard library's
sqlite3) with a small page cache.

In front of either sits a Bloom filter of fixed size (32 MB): most hashes of a file
were never seen before, and the filter says so without asking the database (it can
only err towards "maybe", which the exact map then answers).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

# A 1,000,000-row file leaves ~4,000,000 hashes (~250 MB with the key); with the default 8 MB of buffers for
# temporary tables every insert into the key's b-tree reads and writes pages through the kernel.
TEMP_BUFFERS = "256MB"


def open_seen_index() -> FilteredSeenIndex:
    """The index for the main database: a TEMP table on PostgreSQL, a throwaway SQLite file otherwise."""
    from django.db import connection

    return FilteredSeenIndex(PostgresSeenIndex() if connection.vendor == "postgresql" else SeenIndex())


class FilteredSeenIndex:
    """An exact hash → first line index behind a Bloom filter: only hashes that may have been recorded are
    looked up. Two bit positions per hash, each 28 bits of the (already uniform) hash: at 4,000,000 hashes
    (a 1,000,000-row file) about one never-recorded hash in a thousand is looked up for nothing."""

    BITS = 28

    def __init__(self, exact: SeenIndex | PostgresSeenIndex) -> None:
        self.exact = exact
        self._bits = np.zeros(1 << (self.BITS - 3), dtype=np.uint8)

    def __enter__(self) -> FilteredSeenIndex:
        return self

    def __exit__(self, *exc_info) -> None:
        self.exact.close()

    def first_lines(self, hashes: Iterable[int]) -> dict[int, int]:
        """The first line recorded for each of `hashes` that was recorded."""
        wanted = np.fromiter(hashes, dtype=np.int64)
        maybe = wanted[self._maybe_recorded(wanted)]
        return self.exact.first_lines(maybe.tolist()) if len(maybe) else {}

    def add(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Record (hash, line) pairs not recorded yet (each hash once: the caller asked `first_lines` first)."""
        table = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
        table = table[np.argsort(table[:, 0], kind="stable")]  # key order for the exact index: sorting tuples is slow
        for byte, bit in self._positions(table[:, 0]):
            np.bitwise_or.at(self._bits, byte, bit)
        self.exact.add(table.tolist())

    def _positions(self, hashes: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(byte, bit mask) in the filter of each of the two bits of each hash."""
        unsigned = hashes.view(np.uint64)
        mask = np.uint64((1 << self.BITS) - 1)
        result = []
        for shift in (np.uint64(0), np.uint64(self.BITS)):
            position = (unsigned >> shift) & mask
            byte = (position >> np.uint64(3)).astype(np.intp)
            bit = np.left_shift(np.uint8(1), (position & np.uint64(7)).astype(np.uint8))
            result.append((byte, bit))
        return result

    def _maybe_recorded(self, hashes: np.ndarray) -> np.ndarray:
        found = np.ones(len(hashes), dtype=bool)
        for byte, bit in self._positions(hashes):
            found &= (self._bits[byte] & bit) != 0
        return found


class PostgresSeenIndex:
    """hash → first line in TEMP tables of the Django connection (dropped on exit; the session's end drops them
    too)."""

    def __init__(self) -> None:
        from django.db import connection

        self._connection = connection
        _enlarge_temp_buffers(connection)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS imports_seen")
            cursor.execute("CREATE TEMP TABLE imports_seen (h bigint PRIMARY KEY, line integer NOT NULL)")

    def __enter__(self) -> PostgresSeenIndex:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._connection.connection is not None and not self._connection.needs_rollback:
            with self._connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS imports_seen")

    def first_lines(self, hashes: Iterable[int]) -> dict[int, int]:
        """The first line recorded for each of `hashes` that was recorded."""
        from imports.pgarrays import int_array, pg_rows

        wanted = set(hashes)
        if not wanted:
            return {}
        # One bigint[] bound server-side: probes the primary key. A join with a table of the wanted hashes
        # was planned as a hash join over the whole index (temp tables have no statistics): quadratic.
        return dict(pg_rows("SELECT h, line FROM imports_seen WHERE h = ANY(%s::bigint[])", [int_array(wanted)]))

    def add(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Record (hash, line) pairs not recorded yet (each hash once: the caller asked `first_lines` first).
        Best in key order (FilteredSeenIndex sorts them): the inserts then sweep the primary key's pages once
        instead of jumping between them (a 1,000,000-row file leaves an index bigger than the temporary buffers)."""
        text = "".join(f"{h}\t{line}\n" for h, line in pairs)  # COPY's text format, one write
        if not text:
            return
        self._connection.ensure_connection()
        with self._connection.connection.cursor() as cursor, cursor.copy("COPY imports_seen FROM STDIN") as copy:
            copy.write(text)


def _enlarge_temp_buffers(connection) -> None:
    """Give this session's temporary tables TEMP_BUFFERS of memory, when it has not used temporary tables yet
    (PostgreSQL refuses the change afterwards: then the index works with what the session has)."""
    from django.db import DataError, transaction

    with connection.cursor() as cursor:
        cursor.execute("SHOW temp_buffers")
        if cursor.fetchone()[0] == TEMP_BUFFERS:
            return
        try:
            with transaction.atomic():
                cursor.execute(f"SET temp_buffers = '{TEMP_BUFFERS}'")
        except DataError:
            pass  # temporary tables were used earlier in this session (a second import on one connection)


class SeenIndex:
    """hash → first line. Use as a context manager; the file is deleted on exit."""

    def __init__(self) -> None:
        self._directory = tempfile.TemporaryDirectory(prefix="zdusers-import-")
        self._db = sqlite3.connect(Path(self._directory.name) / "seen.sqlite3", isolation_level=None)
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-4000;"
            "CREATE TABLE seen (h INTEGER PRIMARY KEY, line INTEGER NOT NULL);"
        )

    def __enter__(self) -> SeenIndex:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        self._directory.cleanup()

    def first_lines(self, hashes: Iterable[int]) -> dict[int, int]:
        """The first line recorded for each of `hashes` that was recorded."""
        wanted = list(set(hashes))
        if not wanted:
            return {}
        rows = self._db.execute(
            "SELECT h, line FROM seen WHERE h IN (SELECT value FROM json_each(?))", (json.dumps(wanted),)
        )
        return dict(rows.fetchall())

    def add(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Record (hash, line) pairs; a hash already recorded keeps its first line."""
        self._db.execute("BEGIN")
        self._db.executemany("INSERT OR IGNORE INTO seen (h, line) VALUES (?, ?)", pairs)
        self._db.execute("COMMIT")
