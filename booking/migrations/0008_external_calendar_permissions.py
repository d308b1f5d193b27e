"""Counsellors manage their own external agenda (the policy narrows the rows to theirs),
managers everyone's: the same permissions as for opening hours, added to both groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [f"{action}_externalcalendar" for action in ("add", "change", "delete", "view")]
GROUPS = ["Conseillers", "Responsables"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    booking = apps.get_app_config("booking")
    booking.models_module = True
    create_permissions(booking, apps=apps, verbosity=0, using=schema_editor.connection.alias)

    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="booking", codename__in=CODENAMES
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="booking", codename__in=CODENAMES
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("booking", "0007_calendars")]

    operations = [migrations.RunPython(grant, revoke)]
