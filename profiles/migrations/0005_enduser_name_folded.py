"""A stored, folded copy of the name for search; the trigram index moves onto it (PostgreSQL).

Comparing stored text is much cheaper than calling unaccent() on every candidate row.
"""

import django.db.models.functions.text
import profiles.db_functions
from django.db import migrations, models

from zdusers.migration_ops import postgresql_only


class Migration(migrations.Migration):

    dependencies = [
        ('profiles', '0004_enduser_tags_gin'),
    ]

    operations = [
        migrations.AddField(
            model_name='enduser',
            name='name_folded',
            field=models.GeneratedField(db_persist=True, expression=profiles.db_functions.ZdUnaccent(django.db.models.functions.text.Lower('name')), output_field=models.TextField()),
        ),
        postgresql_only(
            [
                "CREATE INDEX IF NOT EXISTS enduser_name_folded_col_trgm ON profiles_enduser "
                "USING gin (name_folded gin_trgm_ops)",
                "DROP INDEX IF EXISTS enduser_name_folded_trgm",
            ],
            [
                "CREATE INDEX IF NOT EXISTS enduser_name_folded_trgm ON profiles_enduser "
                "USING gin (zd_unaccent(lower(name)) gin_trgm_ops)",
                "DROP INDEX IF EXISTS enduser_name_folded_col_trgm",
            ],
        ),
    ]
