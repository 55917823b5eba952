"""Checking the rows of an end-user file chunk by chunk, in worker processes when the file is big.

Checking a row (phonenumbers, the email validator, tags) is pure Python at tens of
microseconds a row: one core for that alone caps an import near the budget. Big
files are therefore checked in a forked worker process while the main process
reads the file and writes to the database; small files (and small chunks) are
checked in-process, where a pool would cost more than it saves. Either way the
chunks come out in file order with exactly the same rows and problems.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice

from django.db import connection

from imports.collection import end_of_chunk
from imports.csvfile import CsvSource, make_record
from imports.errors import FileProblem
from imports.rows import Problem, RowIdentity, UserRow, check_user_record

# One: the main process and two PostgreSQL sessions keep the other core busy; a second checker
# oversubscribed the 2 cores and made a 1,000,000-row import slower.
WORKERS = 1
# Below this chunk size the pool's start-up and pickling cost more than checking in-process.
MIN_POOL_CHUNK = 5_000

Checked = list[tuple[int, UserRow | list[Problem]]]


@dataclass
class CheckedChunk:
    checked: Checked
    bytes_read: int


def checked_chunks(source: CsvSource, size: int, *, workers: int | None = None) -> Iterator[CheckedChunk]:
    """The rows of `source` checked (`imports.rows.check_user_record`), `size` rows a chunk, in file order.

    `workers`: processes to check in (None: WORKERS when the file fills a chunk of at
    least MIN_POOL_CHUNK rows, else in-process). A FileProblem is raised after the
    chunks read before it, like when reading in-process.
    """
    columns = tuple(source.columns)
    rows = source.raw_rows()
    first = list(islice(rows, size))
    if workers is None:
        workers = WORKERS if len(first) == size and size >= MIN_POOL_CHUNK else 0
    if not workers:
        batch = first
        while batch:
            yield CheckedChunk(_check(columns, batch), source.bytes_read)
            batch = list(islice(rows, size))
        return
    # fork: the workers inherit the settings (phone region) and loaded code; they never touch the database.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[tuple[list[Future], int]] = deque()
        batch = first
        try:
            while batch:
                step = -(-len(batch) // workers)
                parts = [batch[start : start + step] for start in range(0, len(batch), step)]
                pending.append(([pool.submit(_check_packed, columns, part) for part in parts], source.bytes_read))
                if len(pending) >= 2:  # one chunk checked while the one before is written
                    yield _collect(*pending.popleft())
                batch = list(islice(rows, size))
        except FileProblem:
            while pending:
                yield _collect(*pending.popleft())
            raise
        while pending:
            yield _collect(*pending.popleft())


def _check(columns, batch) -> Checked:
    return [(line, check_user_record(make_record(columns, line, fields))) for line, fields in batch]


def _check_packed(columns, batch) -> list:
    """In a worker: checked rows as plain tuples, which pickle several times faster than the dataclasses; on
    PostgreSQL with their staging COPY text, so the main process, the busiest, only joins it."""
    from imports.services.writers import copy_text

    with_copy_text = connection.vendor == "postgresql"
    packed = [
        (line, _pack(row, copy_text(row) if with_copy_text else None) if isinstance(row, UserRow) else row)
        for line, row in _check(columns, batch)
    ]
    end_of_chunk()  # the worker inherited the paused collector (imports.collection)
    return packed


def _collect(futures: list[Future], bytes_read: int) -> CheckedChunk:
    checked: Checked = []
    for future in futures:
        checked.extend((line, _unpack(row) if isinstance(row, tuple) else row) for line, row in future.result())
    return CheckedChunk(checked, bytes_read)


def _pack(row: UserRow, copy_text: tuple[str, str] | None) -> tuple:
    # The profile's dict as it is: pickle writes its keys once a batch and unpickles it in C.
    return (row.line, row.fingerprint, row.profile, row.organization, [tuple(i) for i in row.identities],
            row.key_hashes, copy_text)  # fmt: skip


def _unpack(packed: tuple, new_identity=tuple.__new__) -> UserRow:
    # tuple.__new__ straight: RowIdentity's own constructor and _make are Python functions, called millions of times.
    line, fingerprint, profile, organization, identities, key_hashes, copy = packed
    return UserRow(
        line=line,
        fingerprint=fingerprint,
        profile=profile,
        organization=organization,
        identities=[new_identity(RowIdentity, identity) for identity in identities],
        key_hashes=key_hashes,
        copy_text=copy,
    )
