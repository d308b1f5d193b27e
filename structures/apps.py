from django.apps import AppConfig
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _


class StructuresConfig(AppConfig):
    """The structures of a network sharing one install: one per Wagtail site."""

    name = "structures"
    verbose_name = _("Structures")

    def ready(self):
        """A structure saved or deleted is read again by every request (core.sites); a
        structure saved has its editors' group, its counsellors' media group and its collection
        (structures.editors)."""
        from django.db.models.signals import post_delete, post_migrate, post_save

        from core import sites

        from .models import Structure

        for signal in (post_save, post_delete):
            signal.connect(sites.on_change, sender=Structure, dispatch_uid="structures")
        post_save.connect(editors_follow, sender=Structure, dispatch_uid="structures.editors")
        post_migrate.connect(give_every_structure_its_editors, sender=self)


def editors_follow(sender, instance, raw=False, **kwargs):
    from .editors import ensure_editors

    if not raw:
        ensure_editors(instance)


def give_every_structure_its_editors(sender, apps=None, **kwargs):
    """After migrations, like Django's permissions: structures made by a migration (the
    first one, from an install that had none) get their group and collection too. Not
    while the structures' own migrations are still to run (`migrate auth` alone)."""
    from django.db.models import Q

    from .editors import ensure_editors
    from .models import Structure

    try:
        migrated = apps.get_model("structures", "Structure")
        migrated._meta.get_field("counsellors_media")
    except (AttributeError, LookupError, FieldDoesNotExist):
        return

    incomplete = Q(editors__isnull=True) | Q(counsellors_media__isnull=True)
    for structure in Structure.objects.filter(incomplete).select_related("site"):
        ensure_editors(structure)
