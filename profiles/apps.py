from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "End users"

    def ready(self) -> None:
        # Database plumbing, not business logic: SQLite learns zd_unaccent (see db_functions).
        from profiles.db_functions import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="zdusers_sqlite_functions")
