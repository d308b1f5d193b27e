"""How long a counsellor's calendar feed takes to build, in how many queries and bytes:
prints figures, asserts nothing.

    .venv/bin/python bench/ics.py

Builds a throwaway SQLite database in a temporary directory, with the site's settings and
migrations, holding one counsellor with 1,000 individual bookings (a tenth of them
cancelled recently) and 20 group sessions with seats taken, then times
`booking.calendars.feed.counsellor_calendar` several times. The query count must not grow with the
bookings (tests/booking/calendars/test_feed.py asserts it).
"""

import statistics
import time
from datetime import datetime, timedelta

import throwaway  # sets Django up: before anything that needs it

# isort: split

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking.calendars.feed import counsellor_calendar
from booking.models import (
    Booking,
    Counsellor,
    Format,
    GroupSession,
    Place,
    YoungPerson,
)
from structures.models import Structure

BOOKINGS = 1_000
SESSIONS = 20
RUNS = 9
PARIS = timezone.get_default_timezone()
NOW = datetime(2026, 9, 7, 7, 0, tzinfo=PARIS)


def build():
    throwaway.migrate()
    structure = Place.objects.create(
        structure=Structure.default(),
        kind=Place.Kind.STRUCTURE,
        name="Espace Passerelle",
        address="1 place de la Gare",
    )
    individuel = Format.objects.get(slug="individuel")
    collectif = Format.objects.get(slug="collectif")
    user = get_user_model().objects.create(username="samia")
    counsellor = Counsellor.objects.create(user=user, slug="samia", first_name="Samia")
    counsellor.structures.add(Structure.default())
    people = YoungPerson.objects.bulk_create(
        YoungPerson(
            structure=Structure.default(),
            first_name=f"Personne {n}",
            email=f"personne{n}@example.org",
        )
        for n in range(BOOKINGS)
    )
    bookings = []
    for n, person in enumerate(people):
        # Four a day, from three weeks ago onwards.
        start = NOW - timedelta(days=21) + timedelta(days=n // 4, hours=9 + 2 * (n % 4))
        end = start + timedelta(minutes=individuel.duration_minutes)
        bookings.append(
            Booking(
                counsellor=counsellor,
                format=individuel,
                place=structure,
                young_person=person,
                start=start,
                end=end,
                busy_until=end + timedelta(minutes=individuel.buffer_after_minutes),
                status=Booking.Status.CANCELLED_BY_PERSON if n % 10 == 0 else "confirmed",
                sequence=1 if n % 10 == 0 else 0,
                source=Booking.Source.WEB,
                message="Pour un CV",
            )
        )
    Booking.objects.bulk_create(bookings)
    GroupSession.objects.bulk_create(
        GroupSession(
            counsellor=counsellor,
            format=collectif,
            place=structure,
            title=f"Atelier {n}",
            start=NOW + timedelta(days=n, hours=7),
            end=NOW + timedelta(days=n, hours=7, minutes=collectif.duration_minutes),
            capacity=8,
            seats_booked=3,
        )
        for n in range(SESSIONS)
    )
    return counsellor


def main():
    counsellor = build()
    throwaway.report(
        f"Database: 1 counsellor, {Booking.objects.count()} bookings, "
        f"{GroupSession.objects.count()} group sessions (SQLite in {throwaway.WORKDIR.name})"
    )
    throwaway.report_machine(RUNS)
    wall, cpu = [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            body = counsellor_calendar(counsellor, Structure.default(), NOW)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
    throwaway.report(
        f"feed: {body.count(b'BEGIN:VEVENT')} events, {len(body):,} bytes, {len(queries)} queries"
    )
    throwaway.report(
        f"wall min {min(wall) * 1000:.0f} ms, median {statistics.median(wall) * 1000:.0f} ms; "
        f"CPU median {statistics.median(cpu) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    throwaway.run(main)
