"""Prepares the database of the SMS reminder test, in its own process:

    python -m tests.booking.notifications.sms_reminders_db BOOKINGS

migrates, then writes BOOKINGS confirmed bookings by phone, one an hour from 3 hours
from now, shared between two counsellors, each made a week ago (so its 24-hour SMS
reminder is due now). Prints JSON: the phone numbers.
"""

import json
import sys
from datetime import timedelta

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from booking.models import Booking, Format, Place, YoungPerson  # noqa: E402
from structures.models import Structure  # noqa: E402
from tests.booking import concurrency_db  # noqa: E402


def main():
    bookings = int(sys.argv[1])
    call_command("migrate", verbosity=0)
    concurrency_db.prepare()
    fmt = Format.objects.get(slug="concurrence-individuel")
    place = Place.objects.get(name="Concurrence")
    counsellors = [concurrency_db.counsellor("samira"), concurrency_db.counsellor("julien")]
    now = timezone.now()
    phones = []
    for number in range(bookings):
        phone = f"+3378100{number:04d}"
        person = YoungPerson.objects.create(
            structure=Structure.default(),
            first_name=f"Personne {number}",
            phone=phone,
            preferred_channel="sms",
        )
        start = now + timedelta(hours=3 + number // len(counsellors))
        Booking.objects.create(
            counsellor=counsellors[number % len(counsellors)],
            format=fmt,
            place=place,
            young_person=person,
            start=start,
            end=start + timedelta(minutes=45),
            busy_until=start + timedelta(minutes=60),
            source=Booking.Source.WEB,
        )
        phones.append(phone)
    Booking.objects.update(updated_at=now - timedelta(days=7))
    sys.stdout.write(json.dumps(phones))


if __name__ == "__main__":
    main()
