"""django-tables2's signature reads, remembered per function, give the answers the library would compute."""

from __future__ import annotations

import functools

import django_tables2.utils
import pytest

from zdusers import table_signatures


class Column:
    def render(self, value, record):
        return value

    def render_all(self, **kwargs):
        return kwargs


def plain(value, *args, table=None, **extra):
    return value


@pytest.mark.parametrize(
    "fn",
    [
        Column().render,
        Column().render_all,
        Column.render,
        plain,
        lambda record: record,
        functools.partial(plain, 1),
        len,
    ],
    ids=["bound method", "catch-all", "function of a class", "function", "lambda", "partial", "builtin"],
)
def test_the_remembered_signature_is_the_library_s_own(fn):
    assert table_signatures.signature(fn) == table_signatures._read_signature(fn)
    assert table_signatures.signature(fn) == table_signatures._read_signature(fn)  # and again, from memory


def test_the_methods_of_every_row_s_column_share_one_reading():
    first, second = Column(), Column()

    table_signatures.signature(first.render)
    table_signatures.signature(second.render)

    assert table_signatures._known[Column.render][True] == (("value", "record"), None)
    assert first.render not in table_signatures._known  # remembered by the function, not by each bound method


def test_django_tables2_uses_it_once_the_app_is_ready():
    assert django_tables2.utils.signature is table_signatures.signature
