from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the Hub: backup and restore of its database and private files, and /health/."""

    name = "operations"
    verbose_name = "Operations"
