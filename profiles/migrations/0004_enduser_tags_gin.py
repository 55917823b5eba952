"""PostgreSQL only: a GIN index on tags so `tag:vip` (jsonb @>) does not scan every profile."""

from django.db import migrations

from zdusers.migration_ops import postgresql_only

CREATE = ["CREATE INDEX IF NOT EXISTS enduser_tags_gin ON profiles_enduser USING gin (tags jsonb_path_ops)"]
DROP = ["DROP INDEX IF EXISTS enduser_tags_gin"]


class Migration(migrations.Migration):
    dependencies = [("profiles", "0003_folded_name_search")]

    operations = [postgresql_only(CREATE, DROP)]
