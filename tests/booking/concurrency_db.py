"""Prepares the database of the concurrency tests' server, in its own process:

    python -m tests.booking.concurrency_db prepare [--migrate]  -> JSON: the two slots
    python -m tests.booking.concurrency_db guard                 -> JSON: what PostgreSQL did
    python -m tests.booking.concurrency_db race --runs N         -> JSON: N races' sessions
    python -m tests.booking.concurrency_db sms --runs N          -> JSON: N SMS sent
    python -m tests.booking.concurrency_db registrations --runs N -> JSON: N events' entries
    python -m tests.booking.concurrency_db session_lists --runs N -> JSON: N sessions' entries

`guard` writes bookings with the ORM directly, bypassing booking.services, to show that
the database alone refuses overlaps.
"""

import argparse
import json
import sys
from datetime import datetime, time, timedelta

import django

django.setup()

import recurrence  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import IntegrityError, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page  # noqa: E402

from booking import services  # noqa: E402
from booking.models import (  # noqa: E402
    AvailabilityRule,
    Booking,
    Counsellor,
    Format,
    GroupSession,
    Notification,
    Place,
    Registration,  # noqa: E402
    YoungPerson,
)
from booking.scheduling.holidays import public_holidays  # noqa: E402
from booking.services import registrations  # noqa: E402
from events.models import EventIndexPage, EventOccurrence, EventPage  # noqa: E402
from structures.models import Structure  # noqa: E402

SEATS = 5
REGISTRATION_SEATS = 5
EVERY_DAY = [recurrence.MO, recurrence.TU, recurrence.WE, recurrence.TH, recurrence.FR]
EVERY_DAY += [recurrence.SA, recurrence.SU]


def counsellor(slug):
    user, _created = get_user_model().objects.get_or_create(username=f"concurrency-{slug}")
    found, _created = Counsellor.objects.get_or_create(
        slug=slug, defaults={"user": user, "first_name": slug.title()}
    )
    found.structures.add(Structure.default())
    return found


def open_day(days_ahead=2):
    """A day soon that is not a public holiday, at 10:00 local time."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    while day in public_holidays(day.year):
        day += timedelta(days=1)
    return datetime.combine(day, time(10, 0), tzinfo=timezone.get_default_timezone())


def later_open_days(start, count):
    """`count` days after `start` (and the day after, which `guard` uses), at the same
    time, that are not public holidays."""
    days = (start + timedelta(days=offset) for offset in range(3, 30))
    return [day for day in days if day.date() not in public_holidays(day.year)][:count]


def prepare():
    place, _created = Place.objects.get_or_create(
        structure=Structure.default(), kind=Place.Kind.STRUCTURE, name="Concurrence"
    )
    individual, _created = Format.objects.get_or_create(
        structure=Structure.default(),
        slug="concurrence-individuel",
        defaults={
            "name": "Individuel",
            "duration_minutes": 45,
            "buffer_after_minutes": 15,
            "minimum_notice_hours": 0,
            "horizon_days": 30,
            "place_kinds": [Place.Kind.STRUCTURE],
        },
    )
    group, _created = Format.objects.get_or_create(
        structure=Structure.default(),
        slug="concurrence-collectif",
        defaults={
            "name": "Collectif",
            "duration_minutes": 90,
            "capacity": SEATS,
            "minimum_notice_hours": 0,
            "horizon_days": 30,
            "place_kinds": [Place.Kind.STRUCTURE],
        },
    )
    samira = counsellor("samira")
    samira.formats.add(individual, group)
    samira.places.add(place)
    if not samira.availability_rules.exists():
        AvailabilityRule.objects.create(
            counsellor=samira,
            recurrence=recurrence.Recurrence(
                rrules=[recurrence.Rule(recurrence.WEEKLY, byday=EVERY_DAY)]
            ),
            start_time=time(9, 0),
            end_time=time(12, 0),
            place=place,
        )
    start = open_day()
    session_start = start.replace(hour=14)
    GroupSession.objects.get_or_create(
        counsellor=samira,
        format=group,
        place=place,
        start=session_start,
        defaults={"end": session_start + timedelta(minutes=90), "capacity": SEATS},
    )
    slot = {"counsellor": samira.slug, "place": place.pk}
    return {
        "individual": {**slot, "format": individual.slug, "start": start.isoformat()},
        "group": {**slot, "format": group.slug, "start": session_start.isoformat()},
        # Free after "individual" and its break: for one new person booking from many tabs.
        "newcomer": {
            **slot,
            "format": individual.slug,
            "start": (start + timedelta(hours=1)).isoformat(),
        },
        # Another day: staff at the front desk and young people online take it at once.
        "front_desk": {
            **slot,
            "format": individual.slug,
            "start": open_day((start.date() - timezone.localdate()).days + 1).isoformat(),
        },
        # Twelve times on four later days: for one person booking them all at once.
        "one_person": [
            {**slot, "format": individual.slug, "start": (day + timedelta(hours=hours)).isoformat()}
            for day in later_open_days(start, 4)
            for hours in (-1, 0, 1)
        ],
        "counsellor_id": samira.pk,
        "seats": SEATS,
    }


def guard():
    """Live, individual bookings of one counsellor may not overlap; the others may."""
    julien = counsellor("julien")
    fmt = Format.objects.get(slug="concurrence-individuel")
    place = Place.objects.get(name="Concurrence")
    session = GroupSession.objects.get(
        format__slug="concurrence-collectif", counsellor__slug="samira"
    )
    start = open_day() + timedelta(days=1)
    first = write_booking(julien, fmt, place, start, "guard-0@example.org")
    assert first is True, first

    def attempt(label, offset_minutes, **fields):
        moment = start + timedelta(minutes=offset_minutes)
        return label, write_booking(julien, fmt, place, moment, f"{label}@example.org", **fields)

    return dict(
        [
            attempt("overlapping", 15),
            attempt("inside_the_break", 50),
            attempt("right_after_the_break", 60),
            attempt("overlapping_but_cancelled", 15, status=Booking.Status.CANCELLED_BY_STAFF),
            attempt("overlapping_group_seat", 15, group_session=session),
        ]
    )


RACE_SEATS = 2


def race(run):
    """Three sessions of RACE_SEATS seats for a counsellor of run `run`: A full (a1, a2),
    B with b1, C empty. Each run has its own counsellor, so runs do not meet."""
    place = Place.objects.get(name="Concurrence")
    group = Format.objects.get(slug="concurrence-collectif")
    racer = counsellor(f"course-{run}")
    racer.formats.add(group)
    racer.places.add(place)
    day = open_day()
    sessions = {}
    for name, hour in (("A", 13), ("B", 15), ("C", 17)):
        start = day.replace(hour=hour)
        sessions[name] = GroupSession.objects.create(
            counsellor=racer,
            format=group,
            place=place,
            start=start,
            end=start + timedelta(minutes=90),
            capacity=RACE_SEATS,
        )

    def seat(label, session):
        return services.book(
            first_name=label,
            email=f"{label}-{run}@example.org",
            consent=True,
            group_session=sessions[session],
        )

    bookings = {"a1": seat("a1", "A"), "a2": seat("a2", "A"), "b1": seat("b1", "B")}
    slot = {"counsellor": racer.slug, "place": place.pk, "format": group.slug}
    return {
        "sessions": {
            name: {**slot, "start": session.start.isoformat(), "session": session.pk}
            for name, session in sessions.items()
        },
        "bookings": {label: str(booking.uuid) for label, booking in bookings.items()},
        "counsellor_id": racer.pk,
        "seats": RACE_SEATS,
    }


def registration_race(run):
    """An event date of REGISTRATION_SEATS seats on site, full (c0…c4) with five on its
    list (w0…w4); c0 and c1 cancelled, so w0 and w1 hold offers, w1's already past its
    deadline. Each run has its own event."""
    root = Page.get_first_root_node()
    index = root.add_child(instance=EventIndexPage(title=f"Course {run}", slug=f"course-{run}"))
    event = index.add_child(
        instance=EventPage(
            title=f"Inscriptions {run}",
            slug=f"inscriptions-{run}",
            event_type="open_day",
            intro="Course",
            address="1 rue de la Course",
            registrations_open=True,
            onsite_capacity=REGISTRATION_SEATS,
        )
    )
    start = open_day(days_ahead=5)
    EventOccurrence.objects.create(page=event, start=start, end=start + timedelta(hours=3))
    event = EventPage.objects.get(pk=event.pk)
    occurrence = event.registration_occurrence(f"date-{event.occurrences.get().pk}", timezone.now())

    def entry(label):
        return registrations.register(
            event=event,
            occurrence=occurrence,
            mode="on_site",
            structure=Structure.default(),
            first_name=label,
            email=f"{label}-{run}@example.org",
            consent=True,
        )

    entries = {
        label: entry(label) for label in [f"c{n}" for n in range(5)] + [f"w{n}" for n in range(5)]
    }
    for label in ("c0", "c1"):
        registrations.cancel_registration(entries[label], by=services.Actor.PERSON)
    Registration.objects.filter(pk=entries["w1"].pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    for registration in entries.values():
        registration.refresh_from_db()
    return {
        "event": event.pk,
        "key": occurrence.key,
        "pool": entries["c2"].pool_id,
        "seats": REGISTRATION_SEATS,
        "entries": {
            label: {"reference": str(r.uuid), "sequence": r.sequence}
            for label, r in entries.items()
        },
    }


def session_list_race(run):
    """A group session of REGISTRATION_SEATS seats, full (s0…s4 booked) with five on its
    waiting list (w0…w4); s0 and s1 cancelled, so w0 and w1 hold offers, w1's already
    past its deadline. Each run has its own counsellor and session."""
    place = Place.objects.get(name="Concurrence")
    group = Format.objects.get(slug="concurrence-collectif")
    host = counsellor(f"liste-{run}")
    host.formats.add(group)
    host.places.add(place)
    start = open_day(days_ahead=3).replace(hour=14)
    session = GroupSession.objects.create(
        counsellor=host,
        format=group,
        place=place,
        start=start,
        end=start + timedelta(minutes=90),
        capacity=REGISTRATION_SEATS,
    )
    seats = {
        f"s{n}": services.book(
            first_name=f"s{n}",
            email=f"s{n}-liste-{run}@example.org",
            consent=True,
            group_session=session,
        )
        for n in range(REGISTRATION_SEATS)
    }
    waiting = {
        f"w{n}": registrations.join_waiting_list(
            session,
            structure=Structure.default(),
            first_name=f"w{n}",
            email=f"w{n}-liste-{run}@example.org",
            consent=True,
        )
        for n in range(5)
    }
    for label in ("s0", "s1"):
        services.cancel(seats[label], by=services.Actor.PERSON)
    Registration.objects.filter(pk=waiting["w1"].pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    for registration in waiting.values():
        registration.refresh_from_db()
    return {
        "session": session.pk,
        "slot": {
            "counsellor": host.slug,
            "place": place.pk,
            "format": group.slug,
            "start": start.isoformat(),
            "session": session.pk,
        },
        "pool": waiting["w0"].pool_id,
        "seats": REGISTRATION_SEATS,
        "bookings": {label: str(booking.uuid) for label, booking in seats.items()},
        "entries": {
            label: {"reference": str(r.uuid), "sequence": r.sequence}
            for label, r in waiting.items()
        },
    }


def write_booking(counsellor, fmt, place, start, email, **fields):
    """True if the database accepted the row, else the integrity error's constraint."""
    person, _created = YoungPerson.objects.get_or_create(
        structure=Structure.default(), email=email, defaults={"first_name": "X"}
    )
    end = start + timedelta(minutes=fmt.duration_minutes)
    try:
        with transaction.atomic():
            Booking.objects.create(
                counsellor=counsellor,
                format=fmt,
                place=place,
                young_person=person,
                start=start,
                end=end,
                busy_until=end + timedelta(minutes=fmt.buffer_after_minutes),
                source=Booking.Source.STAFF,
                **fields,
            )
    except IntegrityError as error:
        return getattr(getattr(error.__cause__, "diag", None), "constraint_name", str(error))
    return True


def sent_sms(run):
    """A booking by someone who gave a number and an address, told by SMS, and the SMS
    its provider took: {"message_id", "booking"}."""
    fmt = Format.objects.get(slug="concurrence-individuel")
    person = YoungPerson.objects.create(
        structure=Structure.default(),
        first_name="Rapport",
        phone=f"+337810{run:05d}",
        email=f"rapport{run}@example.org",
        preferred_channel=YoungPerson.Channel.SMS,
    )
    start = later_open_days(open_day(days_ahead=17), run + 1)[run]  # one day per run
    end = start + timedelta(minutes=fmt.duration_minutes)
    booking = Booking.objects.create(
        counsellor=counsellor("rapports"),  # not counted among the slots' bookings
        format=fmt,
        place=Place.objects.get(name="Concurrence"),
        young_person=person,
        start=start,
        end=end,
        busy_until=end + timedelta(minutes=fmt.buffer_after_minutes),
        source=Booking.Source.WEB,
    )
    message_id = f"race-{run}-{booking.pk}"
    Notification.objects.create(
        booking=booking,
        kind="booked",
        channel=Notification.Channel.SMS,
        status=Notification.Status.SENT,
        provider_message_id=message_id,
    )
    return {"message_id": message_id, "booking": booking.pk}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "command", choices=["prepare", "guard", "race", "sms", "registrations", "session_lists"]
    )
    parser.add_argument("--migrate", action="store_true")
    parser.add_argument("--runs", type=int, default=1)
    arguments = parser.parse_args()
    if arguments.migrate:
        call_command("migrate", verbosity=0)
    if arguments.command == "race":
        result = [race(run) for run in range(arguments.runs)]
    elif arguments.command == "sms":
        result = [sent_sms(run) for run in range(arguments.runs)]
    elif arguments.command == "registrations":
        result = [registration_race(run) for run in range(arguments.runs)]
    elif arguments.command == "session_lists":
        result = [session_list_race(run) for run in range(arguments.runs)]
    else:
        result = prepare() if arguments.command == "prepare" else guard()
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
