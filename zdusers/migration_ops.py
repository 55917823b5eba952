"""Migration operations for PostgreSQL-only objects (extensions, functions, GIN/trigram indexes)."""

from __future__ import annotations

from django.db import migrations


def postgresql_only(create: list[str], drop: list[str]) -> migrations.RunPython:
    """Run `create` on migrate and `drop` on rollback, on PostgreSQL only; SQLite has no such objects."""

    def runner(statements: list[str]):
        def run(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement)

        return run

    return migrations.RunPython(runner(create), runner(drop))
