"""Every row has its structure now (0014): the columns are required."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0014_move_to_first_structure"),
    ]

    operations = [
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
