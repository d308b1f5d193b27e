"""The limit of appointments to come per person, checked by the one writer of bookings:
online and through the API, never for staff; appointments cancelled or past free a
place; the structure's own value, else the install's."""

import pytest
from django.core import mail

from booking import services
from booking.models import Booking
from booking.services import TooManyBookings
from structures.models import Structure

from ..factories import GroupSessionFactory, paris, seats_booked

# Monday 2 March 2026, 08:00 in Paris; the individual format needs 24 hours' notice.
NOW = paris("2026-03-02 08:00")
TUESDAY = [paris(f"2026-03-03 {clock}") for clock in ("09:00", "10:00", "11:00")]
WEDNESDAY_9 = paris("2026-03-04 09:00")


def book(start, *, email="lea@example.org", phone="", now=NOW, **kwargs):
    return services.book(
        first_name="Léa",
        email=email,
        phone=phone,
        consent=True,
        now=now,
        format=kwargs.pop("format"),
        place=kwargs.pop("place"),
        start=start,
        **kwargs,
    )


@pytest.fixture
def offer(samira, individuel, structure):
    return {"format": individuel, "place": structure, "counsellor": samira}


def test_a_fourth_appointment_to_come_is_refused_and_nothing_written(offer):
    for start in TUESDAY:
        book(start, **offer)

    with pytest.raises(TooManyBookings) as refused:
        book(WEDNESDAY_9, **offer)

    assert refused.value.after_history, "only the contact may learn it (history decides)"
    assert Booking.objects.count() == 3
    assert not Booking.objects.filter(start=WEDNESDAY_9).exists()


def test_the_limit_is_per_person(offer):
    for start in TUESDAY:
        book(start, **offer)

    assert book(WEDNESDAY_9, email="sam@example.org", **offer).status == Booking.Status.CONFIRMED


def test_a_cancelled_appointment_does_not_count(offer):
    first, *_rest = [book(start, **offer) for start in TUESDAY]
    services.cancel(first, by=services.Actor.PERSON, now=NOW)

    assert book(WEDNESDAY_9, **offer).status == Booking.Status.CONFIRMED


def test_past_appointments_do_not_count(offer):
    for start in TUESDAY:
        book(start, **offer)

    # On Wednesday morning, Tuesday's three are over (still "confirmed" until staff
    # record the outcome): the person may book again.
    wednesday = paris("2026-03-04 08:00")
    later = book(paris("2026-03-05 09:00"), now=wednesday, **offer)

    assert later.status == Booking.Status.CONFIRMED


def test_staff_book_beyond_the_limit(offer):
    for start in TUESDAY:
        book(start, **offer)

    booked = book(WEDNESDAY_9, source=Booking.Source.STAFF, **offer)

    assert booked.source == Booking.Source.STAFF


def test_the_structures_own_limit_then_the_install_s(offer, settings):
    structure = Structure.default()
    structure.live_bookings_per_person = 1
    structure.save()
    book(TUESDAY[0], structure=structure, **offer)
    with pytest.raises(TooManyBookings):
        book(TUESDAY[1], structure=structure, **offer)

    structure.live_bookings_per_person = None
    settings.BOOKING_LIVE_BOOKINGS_PER_PERSON = 2
    book(TUESDAY[1], structure=structure, **offer)
    with pytest.raises(TooManyBookings):
        book(TUESDAY[2], structure=structure, **offer)


def test_a_seat_over_the_limit_is_given_back(offer, samira, collectif, structure, settings):
    settings.BOOKING_LIVE_BOOKINGS_PER_PERSON = 1
    samira.formats.add(collectif)
    session = GroupSessionFactory(
        counsellor=samira, format=collectif, place=structure, start=paris("2026-03-05 14:00")
    )
    book(TUESDAY[0], **offer)

    with pytest.raises(TooManyBookings):
        services.book(
            first_name="Léa", email="lea@example.org", consent=True, now=NOW, group_session=session
        )

    assert seats_booked(session) == 0


def test_told_on_the_page_an_address_gets_the_reason_by_e_mail(offer):
    for start in TUESDAY:
        book(start, **offer)
    mail.outbox.clear()

    answer = services.book_told_on_the_page(
        first_name="Léa",
        email="lea@example.org",
        consent=True,
        now=NOW,
        start=WEDNESDAY_9,
        again_url=lambda error: "https://rdv.example.org/rendez-vous/",
        **offer,
    )

    assert answer is None
    (refusal,) = mail.outbox
    assert str(TooManyBookings(3).message) in refusal.body


def test_told_on_the_page_a_number_alone_is_refused_there(offer):
    for start in TUESDAY:
        book(start, email="", phone="0612345678", **offer)

    with pytest.raises(TooManyBookings):
        services.book_told_on_the_page(
            first_name="Léa",
            phone="0612345678",
            consent=True,
            now=NOW,
            start=WEDNESDAY_9,
            again_url=lambda error: "",
            **offer,
        )
    assert not mail.outbox
