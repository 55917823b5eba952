"""Create the Agents and Admins groups with the permissions listed in zdusers.roles."""

from django.db import migrations

from zdusers.roles import ROLE_PERMISSIONS, sync_roles


def create_roles(apps, schema_editor):
    sync_roles(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("profiles", "0001_initial"),
        ("organizations", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
