"""PostgreSQL only: a trigram index so name substring searches (`name__icontains`) use an index.

SQLite has no trigram indexes; the demo there is small enough to scan.
pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner can create it.
"""

from django.db import migrations

from zdusers.migration_ops import postgresql_only

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Django's icontains compiles to UPPER("name"::text) LIKE UPPER(%s): index that expression.
    'CREATE INDEX IF NOT EXISTS enduser_name_upper_trgm ON profiles_enduser USING gin (UPPER("name"::text) gin_trgm_ops)',
]
DROP = ["DROP INDEX IF EXISTS enduser_name_upper_trgm"]


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]

    operations = [postgresql_only(CREATE, DROP)]
