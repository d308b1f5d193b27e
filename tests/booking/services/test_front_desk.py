"""What staff may do for someone at the desk or on the phone, through the same services:
lift the notice and the horizon, move to another format or counsellor; never book a
time that is not free."""

from datetime import timedelta

import pytest

from booking import services
from booking.models import Booking
from booking.services import SlotTaken, SlotUnavailable

from ..factories import FormatFactory, paris

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
