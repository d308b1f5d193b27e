from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0029_fill_session_seat_pools'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='groupsession',
            name='seats_booked',
        ),
    ]
