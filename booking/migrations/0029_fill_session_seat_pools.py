from django.db import migrations


def count_on_pools(apps, schema_editor):
    """Each session gets the date and on-site pool that count its seats from now on,
    with the seats its counter held."""
    GroupSession = apps.get_model("booking", "GroupSession")
    EventDate = apps.get_model("booking", "EventDate")
    SeatPool = apps.get_model("booking", "SeatPool")
    for session in GroupSession.objects.select_related("format"):
        date = EventDate.objects.create(
            group_session=session,
            structure_id=session.format.structure_id,
            key=f"session-{session.pk}",
            title=session.title or session.format.name,
            start=session.start,
            end=session.end,
        )
        SeatPool.objects.create(
            date=date, mode="on_site", capacity=session.capacity, seats_confirmed=session.seats_booked
        )


def count_on_sessions(apps, schema_editor):
    GroupSession = apps.get_model("booking", "GroupSession")
    SeatPool = apps.get_model("booking", "SeatPool")
    for pool in SeatPool.objects.filter(date__group_session__isnull=False).select_related("date"):
        GroupSession.objects.filter(pk=pool.date.group_session_id).update(
            seats_booked=pool.seats_confirmed
        )


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0028_session_seat_pools'),
    ]

    operations = [
        migrations.RunPython(count_on_pools, count_on_sessions),
    ]
