"""How long free slots take to compute, and in how many queries: prints figures, asserts nothing.

    .venv/bin/python bench/slots.py [--structures N]

Builds a throwaway SQLite database in a temporary directory, with the site's settings
(WAL, IMMEDIATE transactions) and migrations, holding 50 counsellors with 12 weeks of
weekly opening hours, 2,000 existing bookings and a weekly group session each. Then times
`find_slots` for all 50 counsellors over 12 weeks, for 1 counsellor over 4 weeks, and
one `book()`. Targets: under 10 queries and under 0.5 s. With `--structures N`, the same
database is built for N structures of one install (each its own site, formats, places,
50 counsellors and 2,000 bookings) and the first structure is measured: the queries and
time must not grow with N (the line `structures: N, ...` says them).

Then the peers' scenario, the one django-scheduler and django-appointment are measured
on, so the figures compare: 50 other counsellors open Monday to Friday 09:00-12:00 and
13:30-17:00 in Paris, one 45-minute format with a start every 15 minutes and no break,
2,000 random non-overlapping bookings, public holidays not closed, 12 weeks (about 57,000
slots). Next to `find_slots` it times a floor: the same arithmetic on plain integers
(minutes since the epoch), written plainly here, which `find_slots` cannot beat by much.
Both must find the same slots; the script exits non-zero if they do not. The last line
reads `peers-scenario 50x12: <s> s, <n> queries, floor <s> s, ratio <find_slots/floor>`.
"""

import argparse
import gc
import random
import statistics
import sys
import time
from collections import namedtuple
from datetime import UTC, date, datetime, timedelta

import throwaway  # sets Django up: before anything that needs it

# isort: split

import recurrence
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from wagtail.models import Page, Site

from booking import demo as booking_demo
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
from booking.scheduling.loading import find_slots, load_availability
from booking.scheduling.slots import compute_slots
from structures.models import Structure

COUNSELLORS = 50
WEEKS = 12
BOOKINGS = 2_000
RUNS = 7
PARIS = timezone.get_default_timezone()
# Monday 7 September 2026, 07:00: a school term without public holidays for a while.
NOW = datetime(2026, 9, 7, 7, 0, tzinfo=PARIS)


def other_structure(index):
    """Structure `index` of the install: a site of its own, copies of the seeded formats."""
    site = Site.objects.create(
        hostname=f"s{index}.localhost", port=80, root_page=Page.get_first_root_node()
    )
    structure = Structure.for_site(site)
    booking_demo.formats_of(structure)
    return structure


def build(structure, index=0):
    random.seed(2026 + index)
    office = Place.objects.create(
        structure=structure, kind=Place.Kind.STRUCTURE, name="Espace Passerelle"
    )
    phone = Place.objects.create(structure=structure, kind=Place.Kind.PHONE, name="Par téléphone")
    formats = Format.objects.filter(structure=structure)
    individuel = formats.get(slug="individuel")
    jeu = formats.get(slug="jeu")
    collectif = formats.get(slug="collectif")
    formats.update(horizon_days=90)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"counsellor-{index}-{n}") for n in range(COUNSELLORS)
    )
    counsellors = Counsellor.objects.bulk_create(
        Counsellor(user=user, slug=f"c{index}-{n}", first_name=f"Counsellor {n}")
        for n, user in enumerate(users)
    )
    Counsellor.structures.through.objects.bulk_create(
        Counsellor.structures.through(counsellor=counsellor, structure=structure)
        for counsellor in counsellors
    )
    weekdays = [recurrence.MO, recurrence.TU, recurrence.WE, recurrence.TH, recurrence.FR]
    for counsellor in counsellors:
        counsellor.formats.set([individuel, jeu, collectif])
        counsellor.places.set([office, phone])
        AvailabilityRule.objects.create(
            counsellor=counsellor,
            recurrence=recurrence.Recurrence(
                rrules=[recurrence.Rule(recurrence.WEEKLY, byday=weekdays)]
            ),
            start_time=datetime.strptime("09:00", "%H:%M").time(),
            end_time=datetime.strptime("12:00", "%H:%M").time(),
            place=office,
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
                    place=office,
                    start=start,
                    end=start + timedelta(minutes=collectif.duration_minutes),
                    capacity=8,
                )
            )
    GroupSession.objects.bulk_create(sessions)

    people = YoungPerson.objects.bulk_create(
        YoungPerson(structure=structure, first_name=f"Person {n}", email=f"person{n}@example.org")
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
                    place=office,
                    young_person=people[index * per_counsellor + n],
                    start=start,
                    end=end,
                    busy_until=end + timedelta(minutes=individuel.buffer_after_minutes),
                    source=Booking.Source.WEB,
                )
            )
    Booking.objects.bulk_create(bookings)
    return counsellors, individuel, office


Measured = namedtuple("Measured", ["slots", "queries", "wall_ms"])


def measure(label, **kwargs):
    """Wall time, and CPU time, which other processes on the machine do not inflate."""
    wall, cpu = [], []
    lens = Structure.default()
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            slots = find_slots(lens, now=NOW, **kwargs)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
    throwaway.report(
        f"{label:<26} {len(slots):>6} slots {len(queries):>2} queries  "
        f"wall median {statistics.median(wall) * 1000:4.0f} ms, best {min(wall) * 1000:4.0f} ms  "
        f"CPU median {statistics.median(cpu) * 1000:4.0f} ms"
    )
    return Measured(slots, len(queries), statistics.median(wall) * 1000)


# The peers' scenario.
PEERS = 50
PEERS_BOOKINGS = 2_000
PEERS_WINDOWS = (("09:00", "12:00"), ("13:30", "17:00"))  # Paris wall clock
PEERS_DURATION = 45
PEERS_STEP = 15


def wall_clock(text):
    return datetime.strptime(text, "%H:%M").time()


def peers_days():
    """The local dates the peers' windows open on: every weekday of the 12 weeks."""
    first, last = NOW.date(), (NOW + timedelta(weeks=WEEKS)).date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [day for day in days if day.weekday() < 5]


def build_peers():
    """The peers' counsellors, their one format and their bookings. Returns the counsellors."""
    random.seed(57)
    office = Place.objects.create(
        structure=Structure.default(), kind=Place.Kind.STRUCTURE, name="Bureau des pairs"
    )
    peers_format = Format.objects.create(
        structure=Structure.default(),
        slug="pairs",
        name="Rendez-vous (scénario des pairs)",
        duration_minutes=PEERS_DURATION,
        buffer_after_minutes=0,
        slot_interval_minutes=PEERS_STEP,
        minimum_notice_hours=0,
        horizon_days=90,
        place_kinds=[Place.Kind.STRUCTURE],
    )
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"peer-{n}") for n in range(PEERS)
    )
    # Zero-padded names: the counsellors sort by id, as the floor sorts them.
    counsellors = Counsellor.objects.bulk_create(
        Counsellor(user=user, slug=f"peer-{n:02}", first_name=f"Peer {n:02}")
        for n, user in enumerate(users)
    )
    Counsellor.structures.through.objects.bulk_create(
        Counsellor.structures.through(counsellor=counsellor, structure=Structure.default())
        for counsellor in counsellors
    )
    weekdays = [recurrence.MO, recurrence.TU, recurrence.WE, recurrence.TH, recurrence.FR]
    for counsellor in counsellors:
        counsellor.formats.set([peers_format])
        counsellor.places.set([office])
        for opens, closes in PEERS_WINDOWS:
            AvailabilityRule.objects.create(
                counsellor=counsellor,
                recurrence=recurrence.Recurrence(
                    rrules=[recurrence.Rule(recurrence.WEEKLY, byday=weekdays)]
                ),
                start_time=wall_clock(opens),
                end_time=wall_clock(closes),
                place=office,
            )

    # Random start times on the 15-minute grid of the windows, none overlapping another
    # booking of the same counsellor.
    grid = [
        datetime.combine(day, wall_clock(opens), tzinfo=PARIS) + timedelta(minutes=offset)
        for day in peers_days()
        for opens, closes in PEERS_WINDOWS
        for offset in range(
            0,
            (datetime.combine(day, wall_clock(closes)) - datetime.combine(day, wall_clock(opens)))
            // timedelta(minutes=1)
            - PEERS_DURATION
            + 1,
            PEERS_STEP,
        )
    ]
    length = timedelta(minutes=PEERS_DURATION)
    taken = {counsellor.id: [] for counsellor in counsellors}
    bookings = []
    while len(bookings) < PEERS_BOOKINGS:
        counsellor = random.choice(counsellors)
        start = random.choice(grid)
        mine = taken[counsellor.id]
        if any(other < start + length and start < other + length for other in mine):
            continue
        mine.append(start)
        bookings.append((counsellor, start))
    people = YoungPerson.objects.bulk_create(
        YoungPerson(
            structure=Structure.default(),
            first_name=f"Peer person {n}",
            email=f"peer{n}@example.org",
        )
        for n in range(PEERS_BOOKINGS)
    )
    Booking.objects.bulk_create(
        Booking(
            counsellor=counsellor,
            format=peers_format,
            place=office,
            young_person=person,
            start=start,
            end=start + length,
            busy_until=start + length,
            source=Booking.Source.WEB,
        )
        for (counsellor, start), person in zip(bookings, people, strict=True)
    )
    return counsellors


class CollectorClock:
    """Time spent in CPython's cyclic garbage collector inside the `with` block: a full
    collection walks every object of the process, so it depends on more than our code."""

    def __enter__(self):
        self.seconds = 0.0
        gc.callbacks.append(self._tick)
        return self

    def __exit__(self, *exc_info):
        gc.callbacks.remove(self._tick)

    def _tick(self, phase, info):
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started


def minutes(moment):
    """Whole minutes since the epoch: every time in this scenario falls on a minute."""
    return int(moment.timestamp()) // 60


def floor_slots(days, windows, busy, earliest, latest, duration, step):
    """The peers' slots on plain integers: [(start minute, counsellor id)], sorted.

    `windows`: (opens, closes) wall-clock times; `busy`: {counsellor id: sorted
    [(start minute, end minute)]}; `earliest`/`latest`: the bookable minutes [earliest,
    latest). One sweep per counsellor: starts and busy intervals both go forward.
    """
    opens_at = []  # The windows in UTC minutes, each local day converted once.
    for day in days:
        for opens, closes in windows:
            opens_at.append(
                (
                    minutes(datetime.combine(day, opens, tzinfo=PARIS).astimezone(UTC)),
                    minutes(datetime.combine(day, closes, tzinfo=PARIS).astimezone(UTC)),
                )
            )
    found = []
    for counsellor_id, intervals in busy.items():
        index, count = 0, len(intervals)
        for window_start, window_end in opens_at:
            start = window_start
            while start + duration <= window_end:
                if earliest <= start < latest:
                    while index < count and intervals[index][1] <= start:
                        index += 1
                    if index == count or intervals[index][0] >= start + duration:
                        found.append((start, counsellor_id))
                start += step
    found.sort()
    return found


def peers_scenario():
    counsellors = build_peers()
    end = NOW + timedelta(weeks=WEEKS)
    rows = Booking.objects.filter(counsellor__in=counsellors).values_list(
        "counsellor_id", "start", "busy_until"
    )
    busy = {counsellor.id: [] for counsellor in counsellors}
    for counsellor_id, start, busy_until in rows:
        busy[counsellor_id].append((minutes(start), minutes(busy_until)))
    for intervals in busy.values():
        intervals.sort()
    days = peers_days()
    windows = [(wall_clock(opens), wall_clock(closes)) for opens, closes in PEERS_WINDOWS]
    # Minimum notice 0: bookable from now (rounded up to the minute) to the end.
    earliest, latest = -(-int(NOW.timestamp()) // 60), -(-int(end.timestamp()) // 60)

    with override_settings(BOOKING_CLOSED_ON_PUBLIC_HOLIDAYS=False):
        wall, collector, floor_wall, compute_wall = [], [], [], []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries, CollectorClock() as clock:
                started = time.perf_counter()
                slots = find_slots(Structure.default(), now=NOW, end=end, counsellors=counsellors)
                wall.append(time.perf_counter() - started)
            collector.append(clock.seconds)
            started = time.perf_counter()
            floor = floor_slots(days, windows, busy, earliest, latest, PEERS_DURATION, PEERS_STEP)
            floor_wall.append(time.perf_counter() - started)
            availability = load_availability(
                Structure.default(), start=NOW, end=end, counsellors=counsellors
            )
            started = time.perf_counter()
            compute_slots(availability, now=NOW, start=NOW, end=end)
            compute_wall.append(time.perf_counter() - started)

    found = {(slot.counsellor.id, slot.start) for slot in slots}
    expected = {
        (counsellor_id, datetime.fromtimestamp(start * 60, UTC)) for start, counsellor_id in floor
    }
    if found != expected or len(slots) != len(floor):
        throwaway.report(
            f"MISMATCH: find_slots {len(slots)} slots, floor {len(floor)}; "
            f"only in find_slots: {sorted(found - expected)[:5]}, "
            f"only in the floor: {sorted(expected - found)[:5]}"
        )
        sys.exit(1)

    seconds, floor_seconds = statistics.median(wall), statistics.median(floor_wall)
    compute_seconds = statistics.median(compute_wall)
    closed_holiday = date(2026, 11, 11)  # Armistice Day, a Wednesday: open here
    throwaway.report(
        f"{'peers: 50 x 12 weeks':<26} {len(slots):>6} slots, "
        f"{sum(1 for s in slots if s.start.astimezone(PARIS).date() == closed_holiday)} "
        f"on 11 November; the same as the floor's"
    )
    throwaway.report(
        f"{'peers: find_slots':<26} wall median {seconds * 1000:4.0f} ms, of which "
        f"{statistics.median(collector) * 1000:.0f} ms in the garbage collector"
    )
    throwaway.report(
        f"{'peers: compute_slots only':<26} wall median {compute_seconds * 1000:4.0f} ms, "
        f"{compute_seconds / floor_seconds:.1f} x the floor"
    )
    throwaway.report(
        f"peers-scenario {PEERS}x{WEEKS}: {seconds:.3f} s, {len(queries)} queries, "
        f"floor {floor_seconds:.3f} s, ratio {seconds / floor_seconds:.1f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--structures", type=int, default=1, help="structures on the install")
    options = parser.parse_args()
    started = time.perf_counter()
    throwaway.migrate()
    counsellors, individuel, _office = build(Structure.default())
    for index in range(1, options.structures):
        build(other_structure(index), index)
    throwaway.report(
        f"Database: {options.structures} structure(s) of {COUNSELLORS} counsellors, "
        f"{AvailabilityRule.objects.count()} rules, "
        f"{Booking.objects.count()} bookings, {GroupSession.objects.count()} group sessions "
        f"(built in {time.perf_counter() - started:.1f} s, SQLite in {throwaway.WORKDIR.name})"
    )
    throwaway.report_machine(RUNS)
    whole = measure(f"{COUNSELLORS} counsellors x {WEEKS} weeks", end=NOW + timedelta(weeks=WEEKS))
    slots = measure(
        "1 counsellor x 4 weeks", counsellors=[counsellors[0]], end=NOW + timedelta(weeks=4)
    ).slots

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
    if options.structures > 1:
        throwaway.report(
            f"structures: {options.structures}, the first's {COUNSELLORS} counsellors x "
            f"{WEEKS} weeks: {whole.queries} queries, wall median {whole.wall_ms:.0f} ms"
        )
    peers_scenario()


if __name__ == "__main__":
    throwaway.run(main)
