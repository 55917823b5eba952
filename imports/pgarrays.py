"""PostgreSQL queries that take big arrays as one bound parameter, cheaply.

psycopg's list dumper is Python code run per element (a second per 400,000 keys);
an array's text literal is built with one join and typed by the server, once, from
the cast in the query (`= ANY(%s::text[])`): the parameter is sent untyped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection


def int_array(values: Iterable[int]) -> str:
    """The literal of an integer array: `{1,2,3}`."""
    return "{" + ",".join(map(str, values)) + "}"


def text_array(values: Iterable[str]) -> str:
    """The literal of a text array, every element quoted: `{"a","b \\"c\\""}` (no NULLs)."""
    return "{" + ",".join('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values) + "}"


def pg_rows(query: str, params: list) -> list[tuple]:
    """Rows of a query on the default connection with its parameters bound server-side."""
    from psycopg import Cursor

    connection.ensure_connection()
    with Cursor(connection.connection) as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()
