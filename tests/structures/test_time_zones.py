"""A counsellor in Saint-Denis (La Réunion, UTC+4 all year) and one in Lens, on the same
days either side of Paris's change to summer time (Sunday 28 March 2027): each site
offers 9:00 on its own clock, and the e-mail and calendar file of each booking say the
time the person chose."""

from datetime import UTC, datetime, time

import icalendar
import pytest
from django.core import mail

from booking import services
from booking.models import Format, Notification
from booking.notifications.delivery import build_message
from booking.scheduling.loading import find_slots

from .conftest import open_counsellor

pytestmark = pytest.mark.django_db

# Two Tuesdays (the Monday after is Easter Monday, closed in both).
BEFORE, AFTER = datetime(2027, 3, 23).date(), datetime(2027, 3, 30).date()


def first_slot(structure, day):
    start = datetime.combine(day, time(), tzinfo=structure.zone)
    return find_slots(structure, start=start, end=start.replace(hour=23))[0]


@pytest.mark.parametrize(
    ("day", "lens_utc"), [(BEFORE, "08:00"), (AFTER, "07:00")], ids=["winter", "summer"]
)
def test_each_site_opens_at_nine_on_its_own_clock(lens, other_structure, day, lens_utc):
    open_counsellor(lens, "samia")
    open_counsellor(other_structure, "nathalie")
    Format.objects.update(horizon_days=400)

    lens_slot = first_slot(lens, day)
    sud_slot = first_slot(other_structure, day)

    assert lens_slot.start.astimezone(UTC).strftime("%H:%M") == lens_utc
    assert sud_slot.start.astimezone(UTC).strftime("%H:%M") == "05:00"
    assert lens_slot.counsellor.slug == "samia" and sud_slot.counsellor.slug == "nathalie"


def booked_message(structure, slug, day):
    open_counsellor(structure, slug)
    Format.objects.update(horizon_days=400)
    slot = first_slot(structure, day)
    booking = services.book(
        structure=structure,
        first_name="Léa",
        email=f"lea-{slug}@example.org",
        consent=True,
        format=slot.format,
        start=slot.start,
        place=slot.place,
        counsellor=slot.counsellor,
    )
    notification = Notification.objects.select_related(
        "booking__format__structure__site", "booking__place", "booking__young_person"
    ).get(booking=booking)
    return booking, build_message(notification)


@pytest.mark.parametrize("day", [BEFORE, AFTER], ids=["winter", "summer"])
def test_the_email_and_its_calendar_file_say_nine_in_each_structure(lens, other_structure, day):
    for structure, slug in ((lens, "samia"), (other_structure, "nathalie")):
        booking, message = booked_message(structure, slug, day)

        assert "à 9 h" in message.body, (structure.name, message.body)
        assert message.from_email.startswith(structure.name)
        [attachment] = [
            part for part in message.attachments if part.get_content_type() == "text/calendar"
        ]
        event = icalendar.Calendar.from_ical(attachment.get_payload(decode=True)).walk("VEVENT")[0]
        assert event.decoded("dtstart") == booking.start
        assert event.decoded("dtstart").astimezone(structure.zone).hour == 9
        assert str(event["uid"]).endswith(f"@{structure.domain}")
    assert not mail.outbox  # built, not sent: nothing left the test
