"""Admins read the matching model trained on the reviewers' verdicts, and retrain it."""

from django.db import migrations

from zdusers.roles import sync_roles


def apply_roles(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("zdusers", "0006_roles_webhook_channels"),
        ("profiles", "0014_matching_model"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
