"""Admins may read how duplicates are found: the desk's name counts and the reviewers' verdicts."""

from django.db import migrations

from zdusers.roles import sync_roles


def apply_roles(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("zdusers", "0003_roles_view_merge_records"),
        ("profiles", "0011_name_frequency"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
