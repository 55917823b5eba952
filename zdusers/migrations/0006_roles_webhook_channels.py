"""Admins configure the desk's webhook channels (WhatsApp, Twilio, email) and read their inbound log."""

from django.db import migrations

from zdusers.roles import sync_roles


def apply_roles(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("zdusers", "0005_roles_whatsapp_channels"),
        ("intake", "0002_webhook_channels_and_inbound_log"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
