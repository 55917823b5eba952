"""What earlier lines of the file already said: repeated rows and identifiers, found without holding the file.

A 64-bit hash of each row and of each identifier (external id, email, phone key,
handle) maps to the first line that had it. The map never lives in Python memory, so
memory stays flat however long the file is: on PostgreSQL it is a TEMP table of the
import's connection, filled with COPY and probed with one join per chunk; on SQLite a
throwaway SQLite file (the standard library's sqlite3) with a small page cache.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path


def open_seen_index() -> SeenIndex | PostgresSeenIndex:
    """The index for the main database: a TEMP table on PostgreSQL, a throwaway SQLite file otherwise."""
    from django.db import connection

    return PostgresSeenIndex() if connection.vendor == "postgresql" else SeenIndex()


class PostgresSeenIndex:
    """hash → first line in TEMP tables of the Django connection (dropped on exit; the session's end drops them
    too). Rows added inside a transaction that rolls back are forgotten with it, like the chunk they belong to."""

    def __init__(self) -> None:
        from django.db import connection

        self._connection = connection
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS imports_seen, imports_seen_wanted")
            cursor.execute("CREATE TEMP TABLE imports_seen (h bigint PRIMARY KEY, line integer NOT NULL)")
            cursor.execute("CREATE TEMP TABLE imports_seen_wanted (h bigint NOT NULL)")

    def __enter__(self) -> PostgresSeenIndex:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._connection.connection is not None and not self._connection.needs_rollback:
            with self._connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS imports_seen, imports_seen_wanted")

    def first_lines(self, hashes: Iterable[int]) -> dict[int, int]:
        """The first line recorded for each of `hashes` that was recorded."""
        wanted = set(hashes)
        if not wanted:
            return {}
        with self._connection.cursor() as cursor:
            cursor.execute("TRUNCATE imports_seen_wanted")
        self._copy("imports_seen_wanted", ((h,) for h in wanted))
        with self._connection.cursor() as cursor:
            cursor.execute("SELECT s.h, s.line FROM imports_seen s JOIN imports_seen_wanted w ON w.h = s.h")
            return dict(cursor.fetchall())

    def add(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Record (hash, line) pairs not recorded yet (each hash once: the caller asked `first_lines` first)."""
        self._copy("imports_seen", pairs)

    def _copy(self, table: str, rows: Iterable[tuple]) -> None:
        self._connection.ensure_connection()
        with self._connection.connection.cursor() as cursor, cursor.copy(f"COPY {table} FROM STDIN") as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)


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
