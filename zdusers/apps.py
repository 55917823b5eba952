from django.apps import AppConfig


class ZdusersConfig(AppConfig):
    """The project package as an app: roles migration, shared templates and commands."""

    name = "zdusers"
    verbose_name = "zdusers"
