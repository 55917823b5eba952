"""Agents see teams and rules and reassign a contact's team; admins manage teams, rules and re-routing."""

from django.db import migrations

from zdusers.roles import sync_roles


def apply_roles(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("zdusers", "0007_roles_matching_model"),
        ("organizations", "0005_routing"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
