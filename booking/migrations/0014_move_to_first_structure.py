"""Every structure-owned row moves to a first structure, the default site's, named after
the organisation the site identity gives: an install with one structure keeps working
unchanged, and a second structure starts empty."""

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def _take_the_old_public_address(site):
    """The public address was BOOKING_SITE_URL (or WAGTAILADMIN_BASE_URL); it is now the
    site's own. The site takes it over, so calendar UIDs keep their domain (a new one
    would duplicate every appointment in the counsellors' agendas) and links keep it."""
    old = os.environ.get("BOOKING_SITE_URL") or os.environ.get("WAGTAILADMIN_BASE_URL")
    parts = urlsplit(old or "")
    if not parts.hostname:
        return
    site.hostname = parts.hostname
    site.port = parts.port or (443 if parts.scheme == "https" else 80)
    site.save(update_fields=["hostname", "port"])


def move_to_first_structure(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Structure = apps.get_model("structures", "Structure")
    SiteIdentity = apps.get_model("home", "SiteIdentity")
    models_owned = [
        apps.get_model("booking", name) for name in ("Place", "Format", "Closure", "YoungPerson")
    ]
    Counsellor = apps.get_model("booking", "Counsellor")
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()
    if site is None:
        if any(model.objects.exists() for model in [*models_owned, Counsellor]):
            raise RuntimeError(
                "Booking data exists but no Wagtail site to give it to: add a site first."
            )
        return
    _take_the_old_public_address(site)
    structure = Structure.objects.filter(site=site).first()
    if structure is None:
        identity = SiteIdentity.objects.filter(site=site).first()
        name = (identity and (identity.organisation or identity.name)) or settings.WAGTAIL_SITE_NAME
        structure = Structure.objects.create(site=site, name=name[:120])
    for model in models_owned:
        model.objects.filter(structure__isnull=True).update(structure=structure)
    structure.counsellors.add(*Counsellor.objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0013_structures"),
    ]

    operations = [
        migrations.RunPython(move_to_first_structure, migrations.RunPython.noop),
    ]
