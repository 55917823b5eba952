"""Prefetching: the next item is produced on a background thread, in order, errors surfacing where they happen."""

from __future__ import annotations

import threading

import pytest

from zdusers.prefetch import prefetched


def test_items_come_in_order_produced_on_another_thread():
    threads = []

    def numbers():
        for n in range(5):
            threads.append(threading.current_thread())
            yield n

    assert list(prefetched(numbers())) == [0, 1, 2, 3, 4]
    assert threading.current_thread() not in threads


def test_an_error_is_raised_after_the_items_before_it():
    def failing():
        yield 1
        yield 2
        raise ValueError("batch 3 is broken")

    received = []
    with pytest.raises(ValueError, match="batch 3 is broken"):
        for item in prefetched(failing()):
            received.append(item)
    assert received == [1, 2]


def test_leaving_early_stops_the_producer():
    finished = threading.Event()

    def endless():
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            finished.set()

    for item in prefetched(endless()):
        if item == 3:
            break
    assert finished.wait(timeout=5)
