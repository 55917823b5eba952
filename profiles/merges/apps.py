from django.apps import AppConfig


class MergesConfig(AppConfig):
    """Registered so the feature keeps its templates; its model (MergeRecord) lives in profiles.models."""

    name = "profiles.merges"
    label = "merges"
    verbose_name = "Merges"
