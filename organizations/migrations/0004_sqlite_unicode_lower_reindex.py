"""On SQLite, rebuild the case-insensitive name index with the Unicode lower() every connection now has.

Index entries written before were computed with SQLite's ASCII-only lower(); REINDEX recomputes them.
PostgreSQL's lower() always folded every letter: nothing to do there.
"""

from django.db import migrations


def reindex_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("REINDEX organization_name_unique_ci")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_organization_created")]

    operations = [migrations.RunPython(reindex_on_sqlite, migrations.RunPython.noop)]
