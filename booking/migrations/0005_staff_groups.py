"""The two staff roles of booking.permissions, as groups with their permissions.

"Conseillers" manage their own availability, absences, group sessions and bookings (the
permission policies narrow the rows to their own); "Responsables" manage everything,
counsellors, formats, places and closures included, and people's data on request.
Existing groups with these names get the permissions added, nothing removed.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OWN = ["availabilityrule", "absence", "groupsession"]
EVERYTHING = [*OWN, "counsellor", "format", "place", "closure"]
CRUD = ["add", "change", "delete", "view"]

GROUPS = {
    "Conseillers": [
        *(f"{action}_{model}" for model in OWN for action in CRUD),
        "change_booking",
        "view_booking",
    ],
    "Responsables": [
        *(f"{action}_{model}" for model in EVERYTHING for action in CRUD),
        "change_booking",
        "view_booking",
        "view_youngperson",
        "delete_youngperson",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    booking = apps.get_app_config("booking")
    booking.models_module = True
    create_permissions(booking, apps=apps, verbosity=0, using=schema_editor.connection.alias)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for name, codenames in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="booking", codename__in=codenames
        )
        group.permissions.add(access_admin, *permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0004_booking_young_person_nullable"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
