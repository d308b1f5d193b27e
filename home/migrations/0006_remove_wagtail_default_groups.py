"""Wagtail's own "Editors" and "Moderators" groups go, so a new install lists only the
project's groups ("Éditeurs", each structure's editors, the booking roles) and nobody
wonders which "editors" to join.

Never at the cost of someone's access: a group with no members goes; a group whose
members' rights "Éditeurs" all has (page, collection and global permissions) gives them
to "Éditeurs" and goes; any other is kept as it is. The approval task of Wagtail's
default workflow, which named "Moderators", names "Éditeurs" instead, so pages submitted
for moderation still have someone to approve them."""

from django.db import migrations

WAGTAIL_GROUPS = ["Moderators", "Editors"]
PROJECT_GROUP = "Éditeurs"
# Wagtail's default workflow and its one task, named after their group.
WAGTAIL_WORKFLOW = "Moderators approval"
PROJECT_WORKFLOW = "Validation des Éditeurs"


def rights(group):
    """Everything a group may do, as comparable tuples."""
    return (
        {("global", permission_id) for permission_id in group.permissions.values_list("id", flat=True)}
        | {
            ("page", page_id, permission_id)
            for page_id, permission_id in group.page_permissions.values_list("page_id", "permission_id")
        }
        | {
            ("collection", collection_id, permission_id)
            for collection_id, permission_id in group.collection_permissions.values_list(
                "collection_id", "permission_id"
            )
        }
    )


def remove_wagtail_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    editors = Group.objects.filter(name=PROJECT_GROUP).first()
    for group in Group.objects.filter(name__in=WAGTAIL_GROUPS):
        members = list(group.user_set.all())
        if members:
            if editors is None or not rights(group) <= rights(editors):
                continue
            editors.user_set.add(*members)
        if editors is not None:
            for task in GroupApprovalTask.objects.filter(groups=group):
                task.groups.add(editors)
        group.delete()
    if not Group.objects.filter(name__in=WAGTAIL_GROUPS).exists():
        GroupApprovalTask.objects.filter(name=WAGTAIL_WORKFLOW).update(name=PROJECT_WORKFLOW)
        Workflow.objects.filter(name=WAGTAIL_WORKFLOW).update(name=PROJECT_WORKFLOW)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_one_name_the_structures"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailmedia", "0005_alter_media_options"),
    ]

    operations = [migrations.RunPython(remove_wagtail_groups, migrations.RunPython.noop)]
