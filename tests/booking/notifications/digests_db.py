"""Prepares the database of the digest test, in its own process:

    python -m tests.booking.notifications.digests_db COUNSELLORS

migrates, puts the structure in a time zone where it is now about noon (so the digest
is due whenever the test runs), then gives COUNSELLORS counsellors who chose the daily
digest one appointment each later today. Prints JSON: their addresses.
"""

import json
import sys
from datetime import UTC, datetime, timedelta

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from booking.models import Booking, Counsellor, Format, Place, YoungPerson  # noqa: E402
from structures.models import Structure  # noqa: E402
from tests.booking import concurrency_db  # noqa: E402


def noon_somewhere():
    """An Etc/GMT zone whose hour is 12 now (Etc/GMT-3 is UTC+3)."""
    offset = 12 - datetime.now(UTC).hour
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"


def main():
    count = int(sys.argv[1])
    call_command("migrate", verbosity=0)
    concurrency_db.prepare()
    structure = Structure.default()
    structure.time_zone = noon_somewhere()
    structure.save()
    fmt = Format.objects.get(slug="concurrence-individuel")
    place = Place.objects.get(name="Concurrence")
    start = timezone.now() + timedelta(hours=1)
    addresses = []
    for number in range(count):
        counsellor = concurrency_db.counsellor(f"digest-{number}")
        counsellor.user.email = f"digest-{number}@ml.example.org"
        counsellor.user.save()
        counsellor.told = Counsellor.Told.DAILY_DIGEST
        counsellor.save()
        person = YoungPerson.objects.create(
            structure=structure, first_name=f"Personne {number}", email=f"p{number}@example.org"
        )
        Booking.objects.create(
            counsellor=counsellor,
            format=fmt,
            place=place,
            young_person=person,
            start=start,
            end=start + timedelta(minutes=45),
            busy_until=start + timedelta(minutes=60),
            source=Booking.Source.WEB,
        )
        addresses.append(counsellor.user.email)
    sys.stdout.write(json.dumps(addresses))


if __name__ == "__main__":
    main()
