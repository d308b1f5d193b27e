"""Places that can be held: the address of a meeting at home, the video room, the
counsellor's standing video link; and both contacts allowed, with where the person wants
to be told (`preferred_channel`, "sms" for the people known by their number alone)."""

import django.core.validators
from django.db import migrations, models


def number_only_by_sms(apps, schema_editor):
    YoungPerson = apps.get_model("booking", "YoungPerson")
    YoungPerson.objects.filter(email="").update(preferred_channel="sms")


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0019_api_keys'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='youngperson',
            name='booking_person_exactly_one_contact',
        ),
        migrations.AddField(
            model_name='booking',
            name='home_access',
            field=models.CharField(blank=True, max_length=300, verbose_name='access notes'),
        ),
        migrations.AddField(
            model_name='booking',
            name='home_postcode',
            field=models.CharField(blank=True, max_length=5, verbose_name='postcode'),
        ),
        migrations.AddField(
            model_name='booking',
            name='home_street',
            field=models.CharField(blank=True, max_length=200, verbose_name='street'),
        ),
        migrations.AddField(
            model_name='booking',
            name='home_town',
            field=models.CharField(blank=True, max_length=100, verbose_name='town'),
        ),
        migrations.AddField(
            model_name='booking',
            name='call_phone',
            field=models.CharField(blank=True, max_length=16, verbose_name='number to call'),
        ),
        migrations.AddField(
            model_name='booking',
            name='video_room',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='video room'),
        ),
        migrations.AddField(
            model_name='counsellor',
            name='video_url',
            field=models.URLField(blank=True, help_text="Your standing link for video meetings (Teams, Visio…), starting with https://. Leave empty to give each meeting its own room on the structure's video service.", validators=[django.core.validators.URLValidator(message='Give an address starting with https://.', schemes=['https'])], verbose_name='video meeting link'),
        ),
        migrations.AddField(
            model_name='youngperson',
            name='preferred_channel',
            field=models.CharField(choices=[('email', 'By e-mail'), ('sms', 'By text message')], default='email', help_text='Where they asked to be told of their appointments.', max_length=5, verbose_name='tell them'),
        ),
        migrations.RunPython(number_only_by_sms, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='youngperson',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('email', ''), _negated=True), models.Q(('phone', ''), _negated=True), _connector='OR'), name='booking_person_has_a_contact'),
        ),
        migrations.AddConstraint(
            model_name='youngperson',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('preferred_channel', 'email'), models.Q(('email', ''), _negated=True)), models.Q(('preferred_channel', 'sms'), models.Q(('phone', ''), _negated=True)), _connector='OR'), name='booking_person_channel_reachable'),
        ),
    ]
