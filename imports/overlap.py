"""Writing one chunk of an import while the next one is prepared, on a second thread and database connection.

On PostgreSQL the server spends most of an import inserting rows and maintaining
indexes while this process waits; meanwhile the next chunk's repeats and owners
could already be looked up. `ChunkWriter` runs each chunk's write (its own
transaction, progress included) on one writer thread, in file order, at most one
chunk behind. Small files, previews and SQLite write in the calling thread.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import connection


class ChunkWriter:
    """Calls each `write(work)` in order: on a writer thread when `threaded`, else at once."""

    def __init__(self, *, threaded: bool) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer") if threaded else None
        self._pending: Future | None = None

    def __enter__(self) -> ChunkWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self.wait()
        finally:
            if self._pool is not None:
                # Django opened a connection for the writer thread: it is closed there, not left to leak.
                self._pool.submit(_close_connection).result()
                self._pool.shutdown()

    def write(self, work: Callable[[], None]) -> None:
        """Run `work` after every earlier one; raises the error of the earlier one, if it failed."""
        if self._pool is None:
            work()
            return
        self.wait()  # one chunk in flight: the one before must be committed first
        self._pending = self._pool.submit(work)

    def wait(self) -> None:
        """Wait for the chunk in flight; its error, if any, is raised here."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()


def _close_connection() -> None:
    connection.close()
