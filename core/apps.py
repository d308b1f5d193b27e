from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app may use; no models, and imports no other project app."""

    name = "core"
