"""Managers change their own structure's settings; a new group, "Réseau", is the
network's role: everything managers may do, on every structure of the install
(structures.permissions). Existing groups get permissions added, nothing removed."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NETWORK_GROUP = "Réseau"


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; these are needed now.
    structures = apps.get_app_config("structures")
    structures.models_module = True
    create_permissions(structures, apps=apps, verbosity=0, using=schema_editor.connection.alias)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    change, every = (
        Permission.objects.get(content_type__app_label="structures", codename=codename)
        for codename in ("change_structure", "see_every_structure")
    )
    network, _created = Group.objects.get_or_create(name=NETWORK_GROUP)
    for managers in Group.objects.filter(name="Responsables"):
        managers.permissions.add(change)
        network.permissions.add(*managers.permissions.all())
    network.permissions.add(change, every)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=NETWORK_GROUP).delete()
    for managers in Group.objects.filter(name="Responsables"):
        managers.permissions.remove(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="structures", codename="change_structure"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0015_structures_required"),
        ("structures", "0004_network_role"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
