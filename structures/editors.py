"""Each structure's editors: a group that writes and publishes the pages of its own site
and manages the images, documents and media of its own collection, and nothing of the
other structures (Wagtail's page and collection permissions, as the install-wide
"Éditeurs" group has them on everything).

And its counsellors' media group: its counsellors (booking puts them in it) upload
videos to its collection, and change and choose only their own (Wagtail's ownership of
a collection's media: adding there lets one change what one uploaded)."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
# wagtailmedia has no "choose" permission: changing a media item is what lets someone
# pick it in a page.
COLLECTION_PERMISSIONS = [
    ("wagtailimages", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
    ("wagtailmedia", ["add_media", "change_media"]),
]
COUNSELLOR_MEDIA_PERMISSIONS = [("wagtailmedia", ["add_media"])]


@transaction.atomic
def ensure_editors(structure):
    """Create or update the structure's collection, editors' group and counsellors'
    media group, named after it."""
    if structure.collection_id is None:
        structure.collection = Collection.get_first_root_node().add_child(name=structure.name)
    elif structure.collection.name != structure.name:
        structure.collection.name = structure.name
        structure.collection.save(update_fields=["name"])
    structure.editors = named_group(
        structure, structure.editors, _("Editors – %(structure)s"), "structure"
    )
    structure.counsellors_media = named_group(
        structure,
        structure.counsellors_media,
        _("Counsellors' videos – %(structure)s"),
        "structure_of_counsellors",
    )
    grant_collection(structure.counsellors_media, structure, COUNSELLOR_MEDIA_PERMISSIONS)
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
    grant_collection(group, structure, COLLECTION_PERMISSIONS)
    type(structure).objects.filter(pk=structure.pk).update(
        editors=group,
        counsellors_media=structure.counsellors_media,
        collection=structure.collection,
    )


def named_group(structure, group, label, structure_field):
    """`group` (made if None) named by `label` (lazy, so said in the site's language
    whoever saves) after the structure, numbered if another structure has that name."""
    with translation.override(settings.LANGUAGE_CODE):
        name = label % {"structure": structure.name}
    taken = Group.objects.filter(name=name[:150]).exclude(**{structure_field: structure}).exists()
    name = (f"{name} ({structure.pk})" if taken else name)[:150]
    if group is None:
        return Group.objects.create(name=name)
    if group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    return group


def grant_collection(group, structure, permissions):
    for app_label, codenames in permissions:
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=structure.collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
