"""A speed meeting played to the end, for the tests of what comes after: `after` gives
the meeting, its registrations by first name and its pros by table."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from booking import services as booking
from booking.models import EventDate, Place
from eventdays.models import Pro
from eventdays.speed import services
from tests.booking.factories import (
    AvailabilityRuleFactory,
    CounsellorFactory,
    FormatFactory,
    PlaceFactory,
)

from .conftest import add_pros, young


def play(meeting):
    """Draft, publish, then every round started and the meeting ended by staff."""
    services.draft(meeting)
    services.publish(meeting)
    for number in range(meeting.rounds + 1):
        services.next_round(meeting, starting=number)
    meeting.refresh_from_db()
    return meeting


def add_counsellor(meeting, slug="samira", seats=2):
    """A counsellor of the structure, open every day from 9:00 to 12:00, at a table."""
    place = PlaceFactory(kind=Place.Kind.STRUCTURE, name="Espace Passerelle")
    counsellor = CounsellorFactory(slug=slug, team=True, formats=[FormatFactory()], places=[place])
    AvailabilityRuleFactory(counsellor=counsellor, place=place, days=range(7))
    return services.add_pro(
        meeting,
        services.ProDetails(kind=Pro.Kind.COUNSELLOR, name="", counsellor=counsellor, seats=seats),
        source=Pro.Source.STAFF,
    )


def build(job_dating, people, *, employers=2, counsellors=1, rounds=3):
    """`people` registered (P0, P1…), `employers` tables of two and the counsellors',
    played."""
    registrations = young(job_dating, people)
    meeting = services.set_up(EventDate.objects.get(event=job_dating), rounds=rounds)
    pros = add_pros(meeting, employers)
    for slug in ("samira", "kevin")[:counsellors]:
        pros.append(add_counsellor(meeting, slug, seats=min(10, max(2, people // 2))))
    return play(meeting), registrations, pros


def book_invited(invitation, first_name, hour=9):
    """The young person books through the invitation, the day after tomorrow at 9:00."""
    day = timezone.localdate() + timedelta(days=2)
    start = datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())
    return booking.book(
        first_name=first_name,
        email=invitation.contact,
        consent=True,
        counsellor=invitation.counsellor,
        format=invitation.format,
        place=invitation.counsellor.places.get(),
        start=start,
        invitation=invitation,
    )
