from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Demo data, simulation, matching evaluation, `bench`: developer tools the product never imports."""

    name = "devtools"
    verbose_name = "Developer tools"
