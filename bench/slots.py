"""How long free slots take to compute, and in how many queries: prints figures, asserts nothing.

    .venv/bin/python bench/slots.py

Builds a throwaway SQLite database in a temporary directory, with the site's settings
(WAL, IMMEDIATE transactions) and migrations, holding 50 counsellors with 12 weeks of
weekly opening hours, 2,000 existing bookings and a weekly group session each. Then times
`find_slots` for all 50 counsellors over 12 weeks, for 1 counsellor over 4 weeks, and
one `book()`. Targets: under 10 queries and under 0.5 s.
"""

import random
import statistics
import time
from datetime import datetime, timedelta

import throwaway  # sets Django up: before anything that needs it

# isort: split

import recurrence
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking import services
from booking.models import (
    AvailabilityRule,
    Booking,
    Counsellor,
    Format,
    GroupSession,
    Place,
    YoungPerson,
)
from booking.scheduling.loading import find_slots

COUNSELLORS = 50
WEEKS = 12
BOOKINGS = 2_000
RUNS = 7
PARIS = timezone.get_default_timezone()
# Monday 7 September 2026, 07:00: a school term without public holidays for a while.
NOW = datetime(2026, 9, 7, 7, 0, tzinfo=PARIS)


def build():
    random.seed(2026)
    structure = Place.objects.create(kind=Place.Kind.STRUCTURE, name="Espace Passerelle")
    phone = Place.objects.create(kind=Place.Kind.PHONE, name="Par téléphone")
    individuel = Format.objects.get(slug="individuel")
    jeu = Format.objects.get(slug="jeu")
    collectif = Format.objects.get(slug="collectif")
    Format.objects.filter(pk__in=[individuel.pk, jeu.pk, collectif.pk]).update(horizon_days=90)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"counsellor-{n}") for n in range(COUNSELLORS)
    )
    counsellors = Counsellor.objects.bulk_create(
        Counsellor(user=user, slug=f"c{n}", first_name=f"Counsellor {n}")
        for n, user in enumerate(users)
    )
    weekdays = [recurrence.MO, recurrence.TU, recurrence.WE, recurrence.TH, recurrence.FR]
    for counsellor in counsellors:
        counsellor.formats.set([individuel, jeu, collectif])
        counsellor.places.set([structure, phone])
        AvailabilityRule.objects.create(
            counsellor=counsellor,
            recurrence=recurrence.Recurrence(
                rrules=[recurrence.Rule(recurrence.WEEKLY, byday=weekdays)]
            ),
            start_time=datetime.strptime("09:00", "%H:%M").time(),
            end_time=datetime.strptime("12:00", "%H:%M").time(),
            place=structure,
        )
        afternoons = AvailabilityRule.objects.create(
            counsellor=counsellor,
            recurrence=recurrence.Recurrence(
                rrules=[recurrence.Rule(recurrence.WEEKLY, byday=[recurrence.TU, recurrence.TH])]
            ),
            start_time=datetime.strptime("14:00", "%H:%M").time(),
            end_time=datetime.strptime("17:00", "%H:%M").time(),
            place=phone,
        )
        afternoons.formats.set([individuel])

    sessions = []
    for counsellor in counsellors:
        for week in range(WEEKS):
            start = datetime.combine(
                (NOW + timedelta(weeks=week, days=2)).date(),
                datetime.strptime("14:00", "%H:%M").time(),
                tzinfo=PARIS,
            )
            sessions.append(
                GroupSession(
                    counsellor=counsellor,
                    format=collectif,
                    place=structure,
                    start=start,
                    end=start + timedelta(minutes=collectif.duration_minutes),
                    capacity=8,
                )
            )
    GroupSession.objects.bulk_create(sessions)

    people = YoungPerson.objects.bulk_create(
        YoungPerson(first_name=f"Person {n}", email=f"person{n}@example.org")
        for n in range(BOOKINGS)
    )
    morning_starts = [
        datetime.combine((NOW + timedelta(days=day)).date(), datetime.min.time(), tzinfo=PARIS)
        + timedelta(hours=hour)
        for day in range(1, WEEKS * 7)
        if (NOW + timedelta(days=day)).weekday() < 5
        for hour in (9, 10, 11)
    ]
    per_counsellor = BOOKINGS // COUNSELLORS
    bookings = []
    for index, counsellor in enumerate(counsellors):
        for n, start in enumerate(random.sample(morning_starts, per_counsellor)):
            end = start + timedelta(minutes=individuel.duration_minutes)
            bookings.append(
                Booking(
                    counsellor=counsellor,
                    format=individuel,
                    place=structure,
                    young_person=people[index * per_counsellor + n],
                    start=start,
                    end=end,
                    busy_until=end + timedelta(minutes=individuel.buffer_after_minutes),
                    source=Booking.Source.WEB,
                )
            )
    Booking.objects.bulk_create(bookings)
    return counsellors, individuel, structure


def measure(label, **kwargs):
    """Wall time, and CPU time, which other processes on the machine do not inflate."""
    wall, cpu = [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            slots = find_slots(now=NOW, **kwargs)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
    throwaway.report(
        f"{label:<26} {len(slots):>6} slots {len(queries):>2} queries  "
        f"wall median {statistics.median(wall) * 1000:4.0f} ms, best {min(wall) * 1000:4.0f} ms  "
        f"CPU median {statistics.median(cpu) * 1000:4.0f} ms"
    )
    return slots


def main():
    started = time.perf_counter()
    throwaway.migrate()
    counsellors, individuel, structure = build()
    throwaway.report(
        f"Database: {COUNSELLORS} counsellors, {AvailabilityRule.objects.count()} rules, "
        f"{Booking.objects.count()} bookings, {GroupSession.objects.count()} group sessions "
        f"(built in {time.perf_counter() - started:.1f} s, SQLite in {throwaway.WORKDIR.name})"
    )
    throwaway.report_machine(RUNS)
    measure(f"{COUNSELLORS} counsellors x {WEEKS} weeks", end=NOW + timedelta(weeks=WEEKS))
    slots = measure(
        "1 counsellor x 4 weeks", counsellors=[counsellors[0]], end=NOW + timedelta(weeks=4)
    )

    free = next(slot for slot in slots if slot.group_session is None)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        services.book(
            first_name="Bench",
            email="bench@example.org",
            consent=True,
            counsellor=free.counsellor,
            format=free.format,
            place=free.place,
            start=free.start,
            now=NOW,
        )
        elapsed = time.perf_counter() - started
    throwaway.report(
        f"{'book() one individual slot':<26} {'':>12} {len(queries):>2} queries  "
        f"wall {elapsed * 1000:4.0f} ms (notification receivers included)"
    )


if __name__ == "__main__":
    throwaway.run(main)
