from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StructuresConfig(AppConfig):
    """The structures of a network sharing one install: one per Wagtail site."""

    name = "structures"
    verbose_name = _("Structures")
