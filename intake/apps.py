from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """How customers and their contacts arrive: channels, the inbound API, and agents by hand."""

    name = "intake"
    verbose_name = "Intake"
