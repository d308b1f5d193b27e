"""Invitations: a counsellor sends a young person a link to book with them, once, until
it expires; bookings made through one say so (source "invitation")."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0016_network_role'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='booking',
            name='source',
            field=models.CharField(choices=[('web', 'Website'), ('api', 'API'), ('staff', 'Staff'), ('invitation', 'Invitation')], max_length=10, verbose_name='booked via'),
        ),
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('channel', models.CharField(choices=[('email', 'E-mail'), ('sms', 'SMS')], max_length=10, verbose_name='sent by')),
                ('contact', models.CharField(max_length=254, verbose_name='contact')),
                ('expires_at', models.DateTimeField(verbose_name='expires')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='used')),
                ('counsellor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='booking.counsellor', verbose_name='counsellor')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
                ('format', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='booking.format', verbose_name='meeting format')),
            ],
            options={
                'verbose_name': 'invitation',
                'verbose_name_plural': 'invitations',
                'ordering': ['-created_at'],
            },
        ),
    ]
