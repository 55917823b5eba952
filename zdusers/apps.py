from django.apps import AppConfig


class ZdusersConfig(AppConfig):
    """The project package as an app: roles migration, shared templates and commands."""

    name = "zdusers"
    verbose_name = "zdusers"

    def ready(self) -> None:
        from zdusers import table_signatures

        table_signatures.install()
