"""A group session's waiting list: the events' queue on the session's one seat counter,
through every transition, with the counter checked against the bookings and the offers
each time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from booking import services
from booking.models import Booking, Notification, Registration, SeatPool
from booking.services import privacy, registrations
from booking.services.errors import (
    AlreadyRegistered,
    EventFull,
    OfferUnavailable,
    SlotTaken,
)
from booking.services.signals import RegistrationChange, registration_changed
from structures.models import Structure

from ..factories import paris

NOW = paris("2026-03-02 08:00")
Status = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def told():
    """registration_changed signals, as (first name, change)."""
    calls = []

    def receiver(sender, registration, change, **kwargs):
        calls.append((registration.young_person.first_name, change))

    registration_changed.connect(receiver)
    yield calls
    registration_changed.disconnect(receiver)


@pytest.fixture
def full(samira, make_session):
    """A session of 2 seats, both booked (Ana and Bob)."""
    session = make_session(samira, "2026-03-05 14:00", capacity=2)
    for name in ("ana", "bob"):
        book(session, name)
    return session


def book(session, name, **kwargs):
    return services.book(
        group_session=session,
        first_name=name.title(),
        email=f"{name}@example.org",
        consent=True,
        now=kwargs.pop("now", NOW),
        **kwargs,
    )


def join(session, name, **kwargs):
    return registrations.join_waiting_list(
        session,
        structure=Structure.default(),
        first_name=name.title(),
        email=f"{name}@example.org",
        consent=True,
        now=kwargs.pop("now", NOW),
        **kwargs,
    )


def pool_of(session):
    return SeatPool.objects.get(date__group_session=session)


def assert_counted(session):
    """Every seat accounted for: the counter's confirmed seats are the live bookings, its
    offered ones the offers, and both together within the capacity."""
    pool = pool_of(session)
    live = session.bookings.filter(status=Booking.Status.CONFIRMED).count()
    offered = Registration.objects.filter(pool=pool, status=Status.OFFERED).count()
    assert (pool.seats_confirmed, pool.seats_offered) == (live, offered)
    assert live + offered <= pool.capacity == session.capacity
    return live, offered


def current(registration):
    registration.refresh_from_db()
    return registration


def test_a_full_session_takes_no_booking_but_a_place_on_its_list(full, told):
    with pytest.raises(SlotTaken):
        book(full, "cleo")
    cleo, dan = join(full, "cleo"), join(full, "dan")
    assert (cleo.status, dan.status) == (Status.WAITING, Status.WAITING)
    assert [registrations.position(cleo), registrations.position(dan)] == [1, 2]
    assert told == [("Cleo", RegistrationChange.WAITING), ("Dan", RegistrationChange.WAITING)]
    assert assert_counted(full) == (2, 0)


def test_a_cancelled_booking_offers_its_seat_to_the_head_in_the_same_transaction(full, told):
    full.format.offer_hours = 6  # the format's time to answer
    full.format.save()
    cleo, dan = join(full, "cleo"), join(full, "dan")
    ana = full.bookings.get(young_person__first_name="Ana")
    services.cancel(ana, by="person", now=NOW)
    cleo, dan = current(cleo), current(dan)
    assert (cleo.status, dan.status) == (Status.OFFERED, Status.WAITING)
    assert cleo.offer_expires_at == NOW + timedelta(hours=6)
    assert ("Cleo", RegistrationChange.OFFERED) in told
    assert Notification.objects.filter(registration=cleo, kind="reg_offered").exists()
    assert assert_counted(full) == (1, 1)
    with pytest.raises(SlotTaken):
        book(full, "eve")  # the freed seat is held for Cleo


def test_the_offer_holds_the_seat_until_the_formats_notice_at_the_latest(full):
    cleo = join(full, "cleo")
    late = full.start - timedelta(hours=20)
    services.cancel(full.bookings.first(), by="person", now=late)
    cutoff = full.start - timedelta(hours=full.format.minimum_notice_hours)
    assert current(cleo).offer_expires_at == cutoff


def test_nothing_is_offered_after_the_cutoff_and_the_list_is_closed(full):
    cleo = join(full, "cleo")
    after_cutoff = full.start - timedelta(hours=full.format.minimum_notice_hours - 1)
    services.cancel(full.bookings.first(), by="staff", now=after_cutoff)
    assert current(cleo).status == Status.WAITING
    with pytest.raises(EventFull):
        join(full, "dan", now=after_cutoff)


def test_taking_the_offer_books_the_held_seat_once(full, told):
    cleo = join(full, "cleo")
    services.cancel(full.bookings.first(), by="person", now=NOW)
    offer = current(cleo)
    taken = registrations.accept_offer(offer, sequence=offer.sequence, now=NOW)
    assert taken.status == Status.BOOKED
    booking = taken.booking
    assert (booking.group_session, booking.young_person, booking.status) == (
        full,
        taken.young_person,
        Booking.Status.CONFIRMED,
    )
    assert Notification.objects.filter(booking=booking, kind="booked").exists()
    assert assert_counted(full) == (2, 0)
    # One entry for the person: their booking, not a registration as well.
    assert not registrations.upcoming_for(taken.young_person, now=NOW).exists()
    with pytest.raises(OfferUnavailable):
        registrations.accept_offer(offer, sequence=offer.sequence, now=NOW)
    assert assert_counted(full) == (2, 0)


def test_cancelling_the_booking_an_offer_became_frees_its_seat_once(full):
    cleo, dan = join(full, "cleo"), join(full, "dan")
    services.cancel(full.bookings.first(), by="person", now=NOW)
    offer = current(cleo)
    booking = registrations.accept_offer(offer, sequence=offer.sequence, now=NOW).booking
    services.cancel(booking, by="person", now=NOW)
    assert current(dan).status == Status.OFFERED
    assert current(cleo).status == Status.BOOKED  # history: the booking says cancelled
    assert assert_counted(full) == (1, 1)


def test_declining_passes_the_seat_on_at_once(full, told):
    cleo, dan = join(full, "cleo"), join(full, "dan")
    services.cancel(full.bookings.first(), by="person", now=NOW)
    offer = current(cleo)
    registrations.decline_offer(offer, sequence=offer.sequence, now=NOW)
    assert (current(cleo).status, current(dan).status) == (Status.DECLINED, Status.OFFERED)
    assert assert_counted(full) == (1, 1)
    with pytest.raises(OfferUnavailable):
        registrations.accept_offer(offer, sequence=offer.sequence, now=NOW)


def test_an_expired_offer_passes_the_seat_on_and_cannot_be_taken(full):
    cleo, dan = join(full, "cleo"), join(full, "dan")
    services.cancel(full.bookings.first(), by="person", now=NOW)
    offer = current(cleo)
    later = offer.offer_expires_at + timedelta(minutes=1)
    with pytest.raises(OfferUnavailable):
        registrations.accept_offer(offer, sequence=offer.sequence, now=later)
    assert (current(cleo).status, current(dan).status) == (Status.EXPIRED, Status.OFFERED)
    assert assert_counted(full) == (1, 1)
    assert not Booking.objects.filter(young_person=offer.young_person).exists()


def test_an_offer_withdrawn_by_leaving_the_list_cannot_be_replayed(full):
    cleo = join(full, "cleo")
    services.cancel(full.bookings.first(), by="person", now=NOW)
    offer = current(cleo)
    registrations.cancel_registration(offer, by="person", now=NOW)
    with pytest.raises(OfferUnavailable):
        registrations.accept_offer(offer, sequence=offer.sequence, now=NOW)
    assert assert_counted(full) == (1, 0)
    assert book(full, "eve").group_session == full  # the seat is open again


def test_those_who_opted_in_are_booked_directly_when_a_seat_frees(full):
    cleo = join(full, "cleo", auto_confirm=True)
    services.cancel(full.bookings.first(), by="person", now=NOW)
    cleo = current(cleo)
    assert cleo.status == Status.BOOKED
    assert cleo.booking.status == Booking.Status.CONFIRMED
    assert assert_counted(full) == (2, 0)


def test_joining_when_a_seat_is_free_offers_it_at_once(samira, make_session):
    session = make_session(samira, "2026-03-05 14:00", capacity=2)
    assert join(session, "cleo").status == Status.OFFERED
    assert join(session, "dan", auto_confirm=True).status == Status.BOOKED
    assert assert_counted(session) == (1, 1)


def test_one_place_per_person_on_the_list_or_in_the_session(full):
    join(full, "cleo")
    with pytest.raises(AlreadyRegistered):
        join(full, "cleo")
    with pytest.raises(AlreadyRegistered):
        join(full, "ana")  # already holds a seat


def test_a_booking_moved_to_another_session_offers_its_seat(full, samira, make_session):
    other = make_session(samira, "2026-03-12 14:00", capacity=2)
    cleo = join(full, "cleo")
    services.move(full.bookings.first(), by="person", group_session=other, now=NOW)
    assert current(cleo).status == Status.OFFERED
    assert assert_counted(full) == (1, 1)
    assert assert_counted(other) == (1, 0)


def test_a_capacity_raised_by_staff_is_offered_at_once(samira, make_session):
    # Staff save now: a session to come.
    full = make_session(samira, f"{timezone.localdate() + timedelta(days=7)} 14:00", capacity=2)
    for name in ("ana", "bob"):
        book(full, name, now=timezone.now())
    cleo, dan = join(full, "cleo", now=timezone.now()), join(full, "dan", now=timezone.now())
    full.capacity = 3
    full.save()
    assert (current(cleo).status, current(dan).status) == (Status.OFFERED, Status.WAITING)
    assert pool_of(full).capacity == 3
    assert assert_counted(full) == (2, 1)


def test_a_session_moved_tells_those_waiting(samira, make_session, told):
    session = make_session(samira, "2026-03-05 14:00", capacity=1)
    offer = join(session, "cleo")  # the only seat, offered at once
    dan = join(session, "dan")
    session.start += timedelta(hours=1)
    session.end += timedelta(hours=1)
    session.save()
    assert told[-2:] == [("Cleo", RegistrationChange.MOVED), ("Dan", RegistrationChange.MOVED)]
    assert current(dan).date.start == session.start
    assert current(offer).status == Status.OFFERED


def test_a_session_deleted_by_staff_tells_those_waiting(samira, make_session, told):
    session = make_session(samira, "2026-03-05 14:00", capacity=1)
    offer, dan = join(session, "cleo"), join(session, "dan")
    session.delete()
    assert (current(offer).status, current(dan).status) == (
        Status.EVENT_CANCELLED,
        Status.EVENT_CANCELLED,
    )
    assert told[-2:] == [
        ("Cleo", RegistrationChange.EVENT_CANCELLED),
        ("Dan", RegistrationChange.EVENT_CANCELLED),
    ]


def test_a_place_on_a_sessions_list_is_exported_and_erased(samira, make_session):
    # Erased now: a session to come.
    session = make_session(samira, f"{timezone.localdate() + timedelta(days=7)} 14:00", capacity=1)
    book(session, "ana", now=timezone.now())
    cleo = join(session, "cleo", now=timezone.now())
    [exported] = privacy.export_person(cleo.young_person)["registrations"]
    assert exported["reference"] == str(cleo.uuid)
    privacy.erase_person(cleo.young_person)
    cleo = current(cleo)
    assert (cleo.young_person, cleo.status) == (None, Status.CANCELLED_BY_STAFF)
