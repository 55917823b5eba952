"""Admins configure the desk's WhatsApp channels (the webhook's verify token and app secret) in the admin."""

from django.db import migrations

from zdusers.roles import sync_roles


def apply_roles(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("zdusers", "0004_roles_view_name_frequency"),
        ("intake", "0001_initial"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
