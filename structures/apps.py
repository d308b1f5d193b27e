from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StructuresConfig(AppConfig):
    """The structures of a network sharing one install: one per Wagtail site."""

    name = "structures"
    verbose_name = _("Structures")

    def ready(self):
        """A structure saved or deleted is read again by every request (core.sites)."""
        from django.db.models.signals import post_delete, post_save

        from core import sites

        from .models import Structure

        for signal in (post_save, post_delete):
            signal.connect(sites.on_change, sender=Structure, dispatch_uid="structures")
