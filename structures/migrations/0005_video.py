"""A structure's own video service, where video meetings get their rooms."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('structures', '0004_network_role'),
    ]

    operations = [
        migrations.AddField(
            model_name='structure',
            name='video_service_url',
            field=models.URLField(blank=True, help_text="The address of the structure's video meeting service, e.g. https://visio.numerique.gouv.fr/ or a Jitsi server: each video meeting booked with a counsellor who has no link of their own gets a room there, with a random name.", validators=[django.core.validators.URLValidator(message='Give an address starting with https://.', schemes=['https'])], verbose_name='video service'),
        ),
    ]
