"""Structures own the booking rows: the columns, empty at first (0014 fills them,
0015 makes them required; three migrations, since PostgreSQL alters no table whose rows
changed in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


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
    ]
