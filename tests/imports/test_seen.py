"""The index of what earlier lines said: a TEMP table on PostgreSQL, a throwaway SQLite file otherwise."""

from __future__ import annotations

import pytest
from django.db import connection

from imports.seen import PostgresSeenIndex, SeenIndex, open_seen_index

pytestmark = pytest.mark.django_db


def test_index_remembers_the_first_line_of_each_hash():
    with open_seen_index() as seen:
        assert isinstance(seen.exact, PostgresSeenIndex if connection.vendor == "postgresql" else SeenIndex)
        assert seen.first_lines([1, 2]) == {}
        seen.add([(1, 2), (-(2**63), 3)])
        seen.add([(2**63 - 1, 9)])
        assert seen.first_lines([1, 1, -(2**63), 2**63 - 1, 5]) == {1: 2, -(2**63): 3, 2**63 - 1: 9}


def test_a_new_index_starts_empty():
    with open_seen_index() as seen:
        seen.add([(7, 2)])
    with open_seen_index() as seen:
        assert seen.first_lines([7]) == {}


def test_index_opens_on_a_session_that_used_temporary_tables_before():
    # PostgreSQL refuses a new temp_buffers size once the session used temporary tables; the index still works.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE imports_seen_before (x integer)")
        cursor.execute("INSERT INTO imports_seen_before VALUES (1)")
        cursor.execute("DROP TABLE imports_seen_before")
    with open_seen_index() as seen:
        seen.add([(4, 2)])
        assert seen.first_lines([4, 5]) == {4: 2}


def test_the_filter_answers_never_seen_and_asks_the_exact_index_about_the_rest():
    with open_seen_index() as seen:
        seen.add([(h * 7_919, h) for h in range(1, 2_001)])
        assert seen.first_lines(range(7_919, 7_919 * 2_001, 7_919)) == {h * 7_919: h for h in range(1, 2_001)}
        assert seen.first_lines(range(-5_000, 0)) == {}
        # Only what passed the filter is looked up: a hash added behind its back is not asked about.
        seen.exact.add([(12_345, 99)])
        assert seen.first_lines([12_345]) == {}
