"""Admins may read merge records (the audit of every merge) in the Django admin."""

from django.db import migrations

from zdusers.roles import sync_roles


def apply_roles(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("zdusers", "0002_api_token"),
        ("profiles", "0006_mergerecord"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
