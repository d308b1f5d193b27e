"""The one-slot checks of the booking service (`load_slot_availability`,
`load_session_availability`) say what the week's listing says, in fewer queries."""

from datetime import date, timedelta

from booking.models import Absence, Booking, Closure, ExternalCalendar, YoungPerson
from booking.scheduling.loading import (
    SLOT_QUERIES,
    find_slots,
    load_session_availability,
    load_slot_availability,
)
from booking.scheduling.slots import compute_slots
from structures.models import Structure

from ..factories import FormatFactory, paris
from .test_slots import NOW

FIRST_DAY = paris("2026-03-02 00:00")


def _busy_week(make_counsellor, make_session, individuel, structure):
    """Two counsellors with a booking, an absence, an external busy time and a group
    session each (one cancelled by the absence), a second format offered by one rule
    only, and a closed Friday."""
    samira, julien = make_counsellor("samira"), make_counsellor("julien", start="10:00")
    other = FormatFactory(slug="court", duration_minutes=20, buffer_after_minutes=0)
    for each in (samira, julien):
        each.formats.add(other)
    samira.availability_rules.get().formats.add(individuel)
    for index, each in enumerate((samira, julien)):
        make_session(each, f"2026-03-0{3 + index} 09:30")
        each.bookings.create(
            format=individuel,
            place=structure,
            young_person=YoungPerson.objects.create(
                structure=Structure.default(), first_name="Léa", email=f"l{index}@e.org"
            ),
            start=paris(f"2026-03-0{2 + index} 10:00"),
            end=paris(f"2026-03-0{2 + index} 10:45"),
            busy_until=paris(f"2026-03-0{2 + index} 11:00"),
            source=Booking.Source.WEB,
        )
        ExternalCalendar.objects.create(counsellor=each, url="https://agenda.example.org/x.ics")
        each.external_calendar.busy_times.create(
            start=paris("2026-03-09 09:00"), end=paris("2026-03-09 10:10")
        )
    Absence.objects.create(
        counsellor=julien, start=paris("2026-03-04 09:00"), end=paris("2026-03-04 12:00")
    )
    Closure.objects.create(
        structure=Structure.default(),
        label="Pont",
        start_date=date(2026, 3, 6),
        end_date=date(2026, 3, 6),
    )
    return [samira, julien], [individuel, other]


def test_checking_one_slot_agrees_with_the_listing_for_every_start(
    make_counsellor, make_session, individuel, structure, django_assert_max_num_queries
):
    counsellors, formats = _busy_week(make_counsellor, make_session, individuel, structure)
    end = FIRST_DAY + timedelta(days=14)
    lens = Structure.default()
    listed = {
        (slot.start, slot.counsellor.pk, slot.format.pk)
        for slot in find_slots(lens, now=NOW, start=NOW, end=end)
        if slot.group_session is None and slot.place == structure
    }
    checked = set()
    for fmt in formats:
        start = FIRST_DAY
        while start < end:
            if 8 <= start.hour < 13:
                with django_assert_max_num_queries(SLOT_QUERIES):
                    availability = load_slot_availability(
                        lens, format=fmt, start=start, place=structure
                    )
                for slot in compute_slots(
                    availability, now=NOW, start=start, end=start + timedelta(microseconds=1)
                ):
                    checked.add((slot.start, slot.counsellor.pk, slot.format.pk))
            start += timedelta(minutes=5)
    assert checked == listed
    # What the data takes away: the bookings, the absence, the session, the closure.
    assert (paris("2026-03-02 10:00"), counsellors[0].pk, individuel.pk) not in checked
    assert not any(slot[0].date() == date(2026, 3, 6) for slot in checked)
    assert len(listed) > 50


def test_checking_one_session_agrees_with_the_listing(
    make_counsellor, make_session, individuel, structure
):
    _busy_week(make_counsellor, make_session, individuel, structure)
    friday = make_session(make_counsellor("nadia"), "2026-03-06 14:00")  # the day is closed
    listed = {
        slot.group_session.pk
        for slot in find_slots(
            Structure.default(), now=NOW, start=NOW, end=FIRST_DAY + timedelta(days=14)
        )
        if slot.group_session is not None
    }
    checked = set()
    for session in type(friday).objects.all():
        session, availability = load_session_availability(Structure.default(), session.pk)
        window = (session.start, session.start + timedelta(microseconds=1))
        if compute_slots(availability, now=NOW, start=window[0], end=window[1]):
            checked.add(session.pk)
    assert checked == listed
    assert len(listed) == 1  # julien's is cancelled by his absence, nadia's by the closure
