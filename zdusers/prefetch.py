"""Reading the next batch of a long job while the current one is worked on.

A full duplicate scan alternates between waiting on PostgreSQL (reading a batch of
blocks) and computing in Python (scoring it); with two cores the two can overlap.
`prefetched` runs a generator on a background thread, one item ahead. The generator's
database queries use that thread's own connection, so they see only committed data:
use it for reads of what earlier transactions wrote, never inside a test's transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from queue import Queue
from typing import TypeVar

from django.db import connection

T = TypeVar("T")
_END = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def prefetched(items: Iterator[T]) -> Iterator[T]:
    """Yield what `items` yields, in order, computing each next item on a background thread meanwhile.

    An error in `items` is raised here, at the item where it happened. Leaving the loop early
    stops the background thread after the item it is working on.
    """
    ready: Queue = Queue(maxsize=1)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                ready.put(item)
                if stop.is_set():
                    return
            ready.put(_END)
        except BaseException as error:
            ready.put(_Failed(error))
        finally:
            connection.close()  # the thread's own connection, opened by the queries in `items`

    thread = threading.Thread(target=produce, name="prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = ready.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # unblock a producer waiting to hand over one more item
            if not ready.empty():
                ready.get_nowait()
            thread.join(timeout=0.01)
