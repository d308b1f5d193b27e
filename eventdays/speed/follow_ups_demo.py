"""The demo's past "Adopte un pro", after the day (eventdays.speed.demo calls `load`):
the young people's choices the evening after, the pros' marks, staff sending the
follow-ups a week later, and some follow-ups booked through their invitations and
attended, so that the meeting's figures show. Through the services only (booking's
for the bookings); run once, with the meeting (sent ones are left as they are)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from booking.models import Booking
from booking.services import bookings
from booking.services.errors import BookingError

from ..models import Pro
from . import follow_ups
from .timetable import round_end

BOOKED = 3  # follow-ups booked through their invitations; the first two attended
ATTENDED = 2


def load(meeting):
    if follow_ups.terms(meeting).sent_at is not None:
        return
    evening = round_end(meeting, meeting.rounds - 1) + timedelta(hours=3)
    registrations = meeting.date.registrations.filter(speed_seats__published=True).distinct()
    chose = {}
    for index, registration in enumerate(registrations.order_by("created_at", "pk")):
        met = follow_ups.met(registration, now=evening)
        counsellors = [pro for pro in met if pro.kind == Pro.Kind.COUNSELLOR]
        employers = [pro for pro in met if pro.kind == Pro.Kind.EMPLOYER]
        if index % 5 == 4:
            continue  # one in five chooses nobody
        ranked = (counsellors + employers) if index % 2 == 0 else (employers + counsellors)
        ranked = ranked[: follow_ups.MAX_CHOICES]
        follow_ups.set_choices(registration, ranked, consents=employers[:1], now=evening)
        chose[registration.pk] = ranked
    for number, pro in enumerate(meeting.pros.all()):
        # Each marks back those who chose them, but the last of them (not chosen back).
        people = [pk for pk, ranked in chose.items() if pro in ranked][:-1] or []
        follow_ups.set_marks(
            pro, people, consent=number % 2 == 0, capacity=2, now=evening + timedelta(hours=1)
        )
    sent_at = evening + timedelta(days=7)
    follow_ups.send(meeting, now=sent_at)
    _book(meeting, sent_at)


def _book(meeting, sent_at):
    """The first invitations booked a few days after they came, the first ones attended."""
    outcomes = meeting.outcomes.filter(invitation__isnull=False).select_related(
        "invitation__counsellor", "invitation__format", "registration__young_person"
    )
    for number, outcome in enumerate(outcomes.order_by("registration__created_at")[:BOOKED]):
        booking = _first_free(outcome.invitation, outcome.registration.young_person, sent_at)
        if booking is not None and number < ATTENDED:
            bookings.mark_attended(booking, now=booking.end + timedelta(minutes=10))


def _first_free(invitation, person, sent_at):
    """A booking in the first hour the counsellor is free in the week after, or None."""
    zone = timezone.get_current_timezone()
    now = sent_at + timedelta(days=1)
    for day in range(2, 12):
        for hour in (9, 10, 11, 14, 15, 16):
            start = datetime.combine(
                timezone.localdate(sent_at + timedelta(days=day)), time(hour), tzinfo=zone
            )
            for place in invitation.counsellor.places.all():
                if not invitation.format.allows_place(place):
                    continue
                try:
                    return bookings.book(
                        first_name=person.first_name,
                        email=invitation.contact,
                        consent=True,
                        source=Booking.Source.INVITATION,
                        counsellor=invitation.counsellor,
                        format=invitation.format,
                        place=place,
                        start=start,
                        now=now,
                        invitation=invitation,
                    )
                except BookingError:
                    continue
    return None
