"""A structure's name is said once, in its Structure settings: the site identity's
"organisation" goes, and a structure still called by the install's default name takes
it first."""

from django.conf import settings
from django.db import migrations


def name_structures_after_their_organisation(apps, schema_editor):
    SiteIdentity = apps.get_model("home", "SiteIdentity")
    Structure = apps.get_model("structures", "Structure")
    for identity in SiteIdentity.objects.exclude(organisation=""):
        Structure.objects.filter(site_id=identity.site_id, name=settings.WAGTAIL_SITE_NAME).update(
            name=identity.organisation[:120]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_editors_group"),
        ("structures", "0003_editors"),
        ("booking", "0014_move_to_first_structure"),
    ]

    operations = [
        migrations.RunPython(name_structures_after_their_organisation, migrations.RunPython.noop),
        migrations.RemoveField(model_name="siteidentity", name="organisation"),
    ]
