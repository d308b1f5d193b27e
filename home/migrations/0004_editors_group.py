"""The "Éditeurs" group: writes and publishes pages and manages images, documents and
media, but cannot touch user accounts or site settings, so a structure can hand the
site to its team without handing over the keys."""

from django.db import migrations

GROUP_NAME = "Éditeurs"
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
# app label, model, codenames. wagtailmedia has no "choose" permission: changing a
# media item is what lets someone pick it in a page.
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
    ("wagtailmedia", "media", ["add_media", "change_media"]),
]


def permission(apps, app_label, model, codename):
    """Permissions are normally made after all migrations run; make sure they exist now."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    verb, _, noun = codename.partition("_")
    return Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": f"Can {verb} {noun}"},
    )[0]


def create_editors_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(permission(apps, "wagtailadmin", "admin", "access_admin"))

    root_page = Page.objects.get(depth=1)
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=root_page,
            permission=permission(apps, "wagtailcore", "page", codename),
        )

    root_collection = Collection.objects.get(depth=1)
    for app_label, model, codenames in COLLECTION_PERMISSIONS:
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=permission(apps, app_label, model, codename),
            )


def delete_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_home_page_sections_and_site_settings"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailmedia", "0005_alter_media_options"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
