"""A structure's own video service, where video meetings get their rooms, and the
number its counsellors call from."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('structures', '0006_limits'),
    ]

    operations = [
        migrations.AddField(
            model_name='structure',
            name='caller_phone',
            field=models.CharField(blank=True, help_text='Shown to young people their counsellor calls for a meeting by phone: they answer a number they were told. Leave empty if calls come from other numbers.', max_length=20, validators=[django.core.validators.RegexValidator('^\\+?[\\d .()-]{6,20}$', 'Write a phone number, e.g. 03 21 00 00 00.')], verbose_name='number calls come from'),
        ),
        migrations.AddField(
            model_name='structure',
            name='video_service_url',
            field=models.URLField(blank=True, help_text="The address of the structure's video meeting service, e.g. https://visio.numerique.gouv.fr/ or a Jitsi server: each video meeting booked with a counsellor who has no link of their own gets a room there, with a random name.", validators=[django.core.validators.URLValidator(message='Give an address starting with https://.', schemes=['https'])], verbose_name='video service'),
        ),
    ]
