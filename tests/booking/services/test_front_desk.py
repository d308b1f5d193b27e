"""What staff may do for someone at the desk or on the phone, through the same services:
lift the notice and the horizon, move to another format or counsellor; never book a
time that is not free."""

from datetime import time, timedelta

import pytest

from booking import services
from booking.models import Booking, Place
from booking.services import InvalidDetails, SlotTaken, SlotUnavailable

from ..factories import AvailabilityRuleFactory, FormatFactory, PlaceFactory, paris

NOW = paris("2026-03-02 08:00")  # a Monday; the individual format needs 24 hours' notice
TODAY_9 = paris("2026-03-02 09:00")
TODAY_10 = paris("2026-03-02 10:00")
TUESDAY_9 = paris("2026-03-03 09:00")


def staff_book(counsellor, fmt, place, start, **kwargs):
    return services.book(
        first_name="Léa",
        phone="06 12 34 56 78",
        source=Booking.Source.STAFF,
        counsellor=counsellor,
        format=fmt,
        place=place,
        start=start,
        now=NOW,
        **kwargs,
    )


def test_staff_book_within_the_notice_and_beyond_the_horizon_only_when_they_say_so(
    samira, individuel, structure
):
    far = paris("2026-06-02 09:00")  # a Tuesday, 92 days ahead
    for start, reason in [
        (TODAY_10, SlotUnavailable.TOO_SOON),
        (far, SlotUnavailable.BEYOND_HORIZON),
    ]:
        with pytest.raises(SlotUnavailable) as refused:
            staff_book(samira, individuel, structure, start)
        assert refused.value.reason == reason

    soon = staff_book(samira, individuel, structure, TODAY_10, override_limits=True)
    later = staff_book(samira, individuel, structure, far, override_limits=True)

    assert (soon.start, soon.source, soon.consent_at) == (TODAY_10, "staff", None)
    assert later.start == far


def test_lifting_the_limits_never_books_a_past_taken_or_closed_time(samira, individuel, structure):
    staff_book(samira, individuel, structure, TODAY_10, override_limits=True)

    with pytest.raises(SlotTaken):
        staff_book(samira, individuel, structure, TODAY_10, override_limits=True)
    with pytest.raises(SlotUnavailable) as past:
        staff_book(samira, individuel, structure, NOW - timedelta(hours=1), override_limits=True)
    with pytest.raises(SlotUnavailable) as closed:
        staff_book(samira, individuel, structure, paris("2026-03-02 14:00"), override_limits=True)
    assert (past.value.reason, closed.value.reason) == (
        SlotUnavailable.PAST,
        SlotUnavailable.OUTSIDE_AVAILABILITY,
    )


def test_only_staff_may_lift_the_limits(samira, individuel, structure):
    with pytest.raises(TypeError):
        services.book(
            first_name="Léa",
            email="lea@example.org",
            consent=True,
            counsellor=samira,
            format=individuel,
            place=structure,
            start=TODAY_10,
            now=NOW,
            override_limits=True,
        )
    booking = staff_book(samira, individuel, structure, TUESDAY_9)
    with pytest.raises(TypeError):
        services.move(booking, by="person", start=TODAY_10, now=NOW, override_limits=True)


def test_staff_move_an_appointment_to_another_counsellor_and_format(
    samira, julien, individuel, structure
):
    long_talk = FormatFactory(slug="entretien-long", name="Entretien long", duration_minutes=90)
    julien.formats.add(long_talk)
    booking = staff_book(samira, individuel, structure, TUESDAY_9)

    services.move(
        booking,
        by="staff",
        start=TODAY_9,
        counsellor=julien,
        format=long_talk,
        now=NOW,
        override_limits=True,
    )

    assert (booking.counsellor, booking.format, booking.start) == (julien, long_talk, TODAY_9)
    assert (booking.end, booking.sequence) == (TODAY_9 + timedelta(minutes=90), 1)
    # Samira's time is free again, Julien's taken.
    assert staff_book(samira, individuel, structure, TUESDAY_9).counsellor == samira
    with pytest.raises(SlotTaken):
        staff_book(julien, individuel, structure, TODAY_9, override_limits=True)


def test_a_format_the_counsellor_does_not_offer_or_a_group_one_is_refused(
    samira, julien, individuel, collectif, structure
):
    other = FormatFactory(slug="autre")  # offered by nobody
    booking = staff_book(samira, individuel, structure, TUESDAY_9)

    for fmt in (other, collectif):
        with pytest.raises(SlotUnavailable):
            services.move(booking, by="staff", format=fmt, counsellor=julien, now=NOW)

    booking.refresh_from_db()
    assert (booking.counsellor, booking.format, booking.sequence) == (samira, individuel, 0)


@pytest.fixture
def open_by_phone_and_at_home(samira):
    """Samira also meets by phone and at people's homes, at the same hours."""
    places = {}
    for kind, name in ((Place.Kind.PHONE, "Par téléphone"), (Place.Kind.HOME, "Chez toi")):
        place = PlaceFactory(kind=kind, name=name)
        samira.places.add(place)
        AvailabilityRuleFactory(
            counsellor=samira, place=place, start_time=time(9), end_time=time(12)
        )
        places[kind] = place
    return places


def test_staff_moving_a_meeting_to_the_phone_keep_the_number_to_call(
    samira, individuel, structure, open_by_phone_and_at_home
):
    booking = staff_book(samira, individuel, structure, TUESDAY_9)
    by_phone = open_by_phone_and_at_home[Place.Kind.PHONE]

    services.move(booking, by=services.Actor.STAFF, start=TUESDAY_9, place=by_phone, now=NOW)

    booking.refresh_from_db()
    assert (booking.place, booking.call_phone) == (by_phone, "+33612345678")


def test_staff_cannot_move_a_meeting_to_a_home_whose_address_nobody_gave(
    samira, individuel, structure, open_by_phone_and_at_home
):
    booking = staff_book(samira, individuel, structure, TUESDAY_9)
    staff_book(samira, individuel, structure, paris("2026-03-04 09:00"))  # not a first meeting
    at_home = open_by_phone_and_at_home[Place.Kind.HOME]

    with pytest.raises(InvalidDetails) as refused:
        services.move(booking, by=services.Actor.STAFF, start=TUESDAY_9, place=at_home, now=NOW)

    assert "adresse" in str(refused.value.message)
    booking.refresh_from_db()
    assert booking.place == structure
