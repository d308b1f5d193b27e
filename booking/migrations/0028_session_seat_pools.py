import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0027_walk_ins'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='groupsession',
            name='booking_session_seats_within_capacity',
        ),
        migrations.AddField(
            model_name='eventdate',
            name='group_session',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='registration_date', to='booking.groupsession', verbose_name='group session'),
        ),
        migrations.AddField(
            model_name='registration',
            name='booking',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='registration', to='booking.booking', verbose_name='appointment'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='status',
            field=models.CharField(choices=[('confirmed', 'Confirmed'), ('waiting', 'On the waiting list'), ('offered', 'Seat offered'), ('cancelled_by_person', 'Cancelled by the young person'), ('cancelled_by_staff', 'Cancelled by the structure'), ('event_cancelled', 'Event cancelled'), ('declined', 'Offer declined'), ('booked', 'Became an appointment'), ('expired', 'Offer expired'), ('attended', 'Attended'), ('no_show', 'Did not come')], max_length=20, verbose_name='status'),
        ),
    ]
