"""Every structure-owned row moves to a first structure, the default site's, named after
the organisation the site identity gives: an install with one structure keeps working
unchanged, and a second structure starts empty."""

import os
from urllib.parse import urlsplit

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


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
        ("booking", "0012_overseas_phone_numbers"),
        ("structures", "0001_initial"),
        ("home", "0004_editors_group"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="youngperson",
            name="booking_person_unique_email",
        ),
        migrations.RemoveConstraint(
            model_name="youngperson",
            name="booking_person_unique_phone",
        ),
        migrations.AddField(
            model_name="closure",
            name="structure",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="closures",
                to="structures.structure",
                verbose_name="structure",
            ),
        ),
        migrations.AddField(
            model_name="counsellor",
            name="structures",
            field=models.ManyToManyField(
                help_text="Where they can be booked. Their absences and agenda count in every one; their opening hours, bookings and feed are each structure's own.",
                related_name="counsellors",
                to="structures.structure",
                verbose_name="structures",
            ),
        ),
        migrations.AddField(
            model_name="format",
            name="structure",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="formats",
                to="structures.structure",
                verbose_name="structure",
            ),
        ),
        migrations.AddField(
            model_name="place",
            name="structure",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="places",
                to="structures.structure",
                verbose_name="structure",
            ),
        ),
        migrations.AddField(
            model_name="youngperson",
            name="structure",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="young_people",
                to="structures.structure",
                verbose_name="structure",
            ),
        ),
        migrations.AlterField(
            model_name="format",
            name="slug",
            field=models.SlugField(verbose_name="slug"),
        ),
        migrations.RunPython(move_to_first_structure, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="closure",
            name="structure",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="closures",
                to="structures.structure",
                verbose_name="structure",
            ),
        ),
        migrations.AlterField(
            model_name="format",
            name="structure",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="formats",
                to="structures.structure",
                verbose_name="structure",
            ),
        ),
        migrations.AlterField(
            model_name="place",
            name="structure",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="places",
                to="structures.structure",
                verbose_name="structure",
            ),
        ),
        migrations.AlterField(
            model_name="youngperson",
            name="structure",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="young_people",
                to="structures.structure",
                verbose_name="structure",
            ),
        ),
        migrations.AddConstraint(
            model_name="format",
            constraint=models.UniqueConstraint(
                fields=("structure", "slug"), name="booking_format_unique_slug_per_structure"
            ),
        ),
        migrations.AddConstraint(
            model_name="youngperson",
            constraint=models.UniqueConstraint(
                condition=models.Q(("email", ""), _negated=True),
                fields=("structure", "email"),
                name="booking_person_unique_email_per_structure",
            ),
        ),
        migrations.AddConstraint(
            model_name="youngperson",
            constraint=models.UniqueConstraint(
                condition=models.Q(("phone", ""), _negated=True),
                fields=("structure", "phone"),
                name="booking_person_unique_phone_per_structure",
            ),
        ),
    ]
