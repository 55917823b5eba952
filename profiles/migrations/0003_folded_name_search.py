"""PostgreSQL only: accent- and case-insensitive name search served by a trigram index.

zd_unaccent wraps unaccent() as IMMUTABLE (unaccent itself is only STABLE because
its dictionary could change), which an index expression requires. The index on
zd_unaccent(lower(name)) replaces the UPPER(name) index of 0002: every name search
now goes through profiles.db_functions.fold. SQLite registers a Python
zd_unaccent on each connection instead.
"""

from django.db import migrations

from zdusers.migration_ops import postgresql_only

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE OR REPLACE FUNCTION zd_unaccent(text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$""",
    "CREATE INDEX IF NOT EXISTS enduser_name_folded_trgm ON profiles_enduser USING gin (zd_unaccent(lower(name)) gin_trgm_ops)",
    "DROP INDEX IF EXISTS enduser_name_upper_trgm",
]
DROP = [
    'CREATE INDEX IF NOT EXISTS enduser_name_upper_trgm ON profiles_enduser USING gin (UPPER("name"::text) gin_trgm_ops)',
    "DROP INDEX IF EXISTS enduser_name_folded_trgm",
    "DROP FUNCTION IF EXISTS zd_unaccent(text)",
]


class Migration(migrations.Migration):
    dependencies = [("profiles", "0002_enduser_name_trigram")]

    operations = [postgresql_only(CREATE, DROP)]
