from django.apps import AppConfig


class DuplicatesConfig(AppConfig):
    """Registered so the feature keeps its command and templates; its models live in profiles.models."""

    name = "profiles.duplicates"
    label = "duplicates"
    verbose_name = "Duplicate detection"
