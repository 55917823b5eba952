"""Helpers for PostgreSQL concurrency tests: real threads, each with its own connection, and no sleeps."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection, connections


def in_threads(*calls: Callable[[], object], expected: tuple[type[BaseException], ...] = ()) -> list[object]:
    """Run each call in its own thread and connection, all released at once by a barrier.

    Returns each call's result in order; an exception of an `expected` type is an
    outcome too, any other one (a deadlock, an integrity error) is raised.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(position: int, call: Callable[[], object]) -> None:
        try:
            connection.ensure_connection()  # connect first, so the barrier lines up the calls themselves
            barrier.wait()
            outcomes[position] = call()
        except BaseException as error:
            outcomes[position] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for outcome in outcomes:
        if isinstance(outcome, BaseException) and not isinstance(outcome, expected):
            raise outcome
    return outcomes


def wait_until_blocked(pid: list[int], thread: threading.Thread) -> bool:
    """Poll PostgreSQL (no sleep) until the backend `pid[0]` waits on a lock, or its thread has finished."""
    with connection.cursor() as cursor:
        while pid and thread.is_alive():
            cursor.execute("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s", [pid[0]])
            row = cursor.fetchone()
            if row and row[0]:
                return True
    return False
