"""Accent- and case-insensitive text matching that works the same on PostgreSQL and SQLite.

`fold(expression)` is `zd_unaccent(lower(expression))`. On PostgreSQL,
zd_unaccent is an IMMUTABLE wrapper around the unaccent extension (created by a
migration, so a trigram index can be built on it); on SQLite the same name is a
Python function registered on every new connection. Both sides of a comparison
go through the same function, so a search for "joao" finds "João" on either.
"""

from __future__ import annotations

import unicodedata

from django.db.models import F, Func, TextField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Lower
from django.db.models.lookups import Contains


class ZdUnaccent(Func):
    function = "zd_unaccent"
    output_field = TextField()


def fold(expression: Combinable | str) -> Func:
    """The folded form of a column name or expression: accents removed, lower-cased."""
    return ZdUnaccent(Lower(expression))


def fold_value(text: str) -> Func:
    """The folded form of a literal, computed by the database like the column side."""
    return ZdUnaccent(Lower(Value(text, output_field=TextField())))


def fold_in_python(text: str | None) -> str | None:
    """What zd_unaccent(lower(text)) gives on SQLite: combining marks dropped after NFKD."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def unicode_lower(value):
    """SQLite's lower() as PostgreSQL's: every letter, not only ASCII ("ÓPTICA" -> "óptica")."""
    return value.lower() if isinstance(value, str) else value


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give every SQLite connection the functions PostgreSQL gets from migrations, and PostgreSQL's lower().

    SQLite's built-in lower() folds ASCII only, so the case-insensitive unique name of an organization
    let "Óptica Lux" and "ÓPTICA LUX" both in, and Python-lowered lookups missed rows.
    """
    if connection.vendor == "sqlite":
        connection.connection.create_function("zd_unaccent", 1, fold_in_python, deterministic=True)
        connection.connection.create_function("lower", 1, unicode_lower, deterministic=True)


def folded_name_contains(text: str) -> Contains:
    """A condition on EndUser: its stored folded name contains the folded text (for filter() and Q())."""
    return Contains(F("name_folded"), fold_value(text))
