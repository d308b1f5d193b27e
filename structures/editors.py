"""Each structure's editors: a group that writes and publishes the pages of its own site
and manages the images, documents and media of its own collection, and nothing of the
other structures (Wagtail's page and collection permissions, as the install-wide
"Éditeurs" group has them on everything)."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
# wagtailmedia has no "choose" permission: changing a media item is what lets someone
# pick it in a page.
COLLECTION_PERMISSIONS = [
    ("wagtailimages", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
    ("wagtailmedia", ["add_media", "change_media"]),
]


@transaction.atomic
def ensure_editors(structure):
    """Create or update the structure's collection and editors' group, named after it."""
    if structure.collection_id is None:
        structure.collection = Collection.get_first_root_node().add_child(name=structure.name)
    elif structure.collection.name != structure.name:
        structure.collection.name = structure.name
        structure.collection.save(update_fields=["name"])
    with translation.override(settings.LANGUAGE_CODE):  # the site's, whoever saves
        name = _("Editors – %(structure)s") % {"structure": structure.name}
    taken = Group.objects.filter(name=name[:150]).exclude(structure=structure).exists()
    name = (f"{name} ({structure.pk})" if taken else name)[:150]  # two of the same name
    if structure.editors_id is None:
        structure.editors = Group.objects.create(name=name)
    elif structure.editors.name != name:
        structure.editors.name = name
        structure.editors.save(update_fields=["name"])
    group = structure.editors
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=structure.site.root_page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    for app_label, codenames in COLLECTION_PERMISSIONS:
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=structure.collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
    type(structure).objects.filter(pk=structure.pk).update(
        editors=group, collection=structure.collection
    )
