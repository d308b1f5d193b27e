"""Factories for the booking models, usable from any test folder. Times are Europe/Paris
wall clock unless they end in Z.

Each factory builds rows as the site would leave them: a counsellor comes with a user,
a booking's end and busy_until follow from its format, a seat in a group session takes
the session's counsellor, format, place and times.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
import recurrence
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from booking.models import (
    AvailabilityRule,
    Booking,
    Counsellor,
    Format,
    GroupSession,
    Place,
    SeatPool,
    YoungPerson,
)
from booking.services.registrations import session_pool
from structures.models import Structure

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = [recurrence.MO, recurrence.TU, recurrence.WE, recurrence.TH, recurrence.FR]


# Where a meeting at home takes place, as a person types it.
HOME_ADDRESS = {
    "home_street": "12 rue des Écoles",
    "home_postcode": "62300",
    "home_town": "Lens",
    "home_access": "Bâtiment B, 2e étage",
}


def paris(text):
    """'2026-03-02 09:00' in Paris, as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def weekly(*days):
    return recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.WEEKLY, byday=list(days))])


def tomorrow_at_ten():
    return paris(f"{timezone.localdate() + timedelta(days=1)} 10:00")


def seats_booked(session):
    """The seats the session's bookings hold, as its pool counts them."""
    return GroupSession.objects.with_seats().get(pk=session.pk).booked


def set_seats_booked(session, seats):
    """Count `seats` as booked in `session` without bookings (a counter test's start)."""
    SeatPool.objects.filter(pk=session_pool(session).pk).update(seats_confirmed=seats)


def counsellor_offering_one_format():
    return CounsellorFactory(formats=[FormatFactory()], places=[PlaceFactory()])


class UserFactory(DjangoModelFactory):
    """A staff member; `groups` names groups the migrations create (Conseillers, Responsables)."""

    username = factory.Sequence(lambda n: f"user-{n}")

    class Meta:
        model = "auth.User"
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        for name in names or ():
            self.groups.add(Group.objects.get(name=name))


class PlaceFactory(DjangoModelFactory):
    structure = factory.LazyFunction(Structure.default)
    kind = Place.Kind.STRUCTURE
    name = "Espace Passerelle"

    class Meta:
        model = Place


class FormatFactory(DjangoModelFactory):
    """One-to-one, 45 minutes plus a 15-minute break, 24 hours' notice, 60 days ahead, at
    every kind of place; `group=True`: groups of up to 8, 90 minutes plus a 30-minute
    break, 12 hours' notice, at the structure. Places and formats are the default site's
    structure's unless `structure` says otherwise."""

    structure = factory.LazyFunction(Structure.default)
    slug = factory.Sequence(lambda n: f"format-{n}")
    name = "Individuel"
    duration_minutes = 45
    buffer_after_minutes = 15
    minimum_notice_hours = 24
    horizon_days = 60
    place_kinds = factory.LazyFunction(lambda: [kind.value for kind in Place.Kind])

    class Meta:
        model = Format

    class Params:
        group = factory.Trait(
            name="Collectif",
            duration_minutes=90,
            buffer_after_minutes=30,
            capacity=8,
            minimum_notice_hours=12,
            place_kinds=factory.LazyFunction(lambda: [Place.Kind.STRUCTURE.value]),
        )


class CounsellorFactory(DjangoModelFactory):
    """A counsellor and their user `user-<slug>`, offering `formats` at `places`;
    `team=True` puts the user in the Conseillers group, as the admin does, so they can
    sign in to the admin."""

    slug = factory.Sequence(lambda n: f"counsellor-{n}")
    first_name = factory.LazyAttribute(lambda counsellor: counsellor.slug.title())
    user = factory.SubFactory(
        UserFactory, username=factory.LazyAttribute(lambda user: f"user-{user.factory_parent.slug}")
    )

    class Meta:
        model = Counsellor
        skip_postgeneration_save = True

    @factory.post_generation
    def structures(self, create, structures, **kwargs):
        self.structures.set(structures or [Structure.default()])

    @factory.post_generation
    def formats(self, create, formats, **kwargs):
        if formats:
            self.formats.set(formats)

    @factory.post_generation
    def places(self, create, places, **kwargs):
        if places:
            self.places.add(*places)

    @factory.post_generation
    def team(self, create, joins, **kwargs):
        if joins:
            self.user.groups.add(Group.objects.get(name="Conseillers"))


class AvailabilityRuleFactory(DjangoModelFactory):
    """Opening hours on `days` (Monday to Friday unless given), 9:00 to 12:00."""

    counsellor = factory.SubFactory(CounsellorFactory)
    recurrence = factory.LazyAttribute(lambda rule: weekly(*rule.days))
    start_time = time(9)
    end_time = time(12)
    place = factory.SubFactory(PlaceFactory)

    class Meta:
        model = AvailabilityRule

    class Params:
        days = WEEKDAYS


class GroupSessionFactory(DjangoModelFactory):
    """A session of a group format, as long as its format says, with 3 seats."""

    counsellor = factory.SubFactory(CounsellorFactory)
    format = factory.SubFactory(FormatFactory, group=True)
    place = factory.SubFactory(PlaceFactory)
    start = factory.LazyFunction(lambda: tomorrow_at_ten().replace(hour=14))
    end = factory.LazyAttribute(
        lambda session: session.start + timedelta(minutes=session.format.duration_minutes)
    )
    capacity = 3

    class Meta:
        model = GroupSession


class YoungPersonFactory(DjangoModelFactory):
    """Léa, reached at lea@example.org; with a `phone`, by phone only (and told by SMS)
    unless an `email` is given too. A contact belongs to one person: the same address
    gives the same person, as when the site finds the person who books by their
    address. Known to the default site's structure unless `structure` says otherwise."""

    structure = factory.LazyFunction(Structure.default)
    first_name = "Léa"
    phone = ""
    email = factory.LazyAttribute(
        lambda person: "" if person.phone else f"{slugify(person.first_name)}@example.org"
    )
    preferred_channel = factory.LazyAttribute(
        lambda person: YoungPerson.Channel.EMAIL if person.email else YoungPerson.Channel.SMS
    )

    class Meta:
        model = YoungPerson
        django_get_or_create = ("structure", "email", "phone")


class BookingFactory(DjangoModelFactory):
    """A confirmed booking made on the website, written directly rather than through
    booking.services: in the counsellor's individual format at their first place unless
    it is a seat in `group_session`, from `start` (tomorrow 10:00 unless given) to the end
    of the format, busy until the end of its break."""

    group_session = None
    counsellor = factory.Maybe(
        "group_session",
        yes_declaration=factory.SelfAttribute("group_session.counsellor"),
        no_declaration=factory.LazyFunction(counsellor_offering_one_format),
    )
    format = factory.Maybe(
        "group_session",
        yes_declaration=factory.SelfAttribute("group_session.format"),
        no_declaration=factory.LazyAttribute(
            lambda booking: booking.counsellor.formats.get(capacity=1)
        ),
    )
    place = factory.Maybe(
        "group_session",
        yes_declaration=factory.SelfAttribute("group_session.place"),
        no_declaration=factory.LazyAttribute(lambda booking: booking.counsellor.places.first()),
    )
    start = factory.Maybe(
        "group_session",
        yes_declaration=factory.SelfAttribute("group_session.start"),
        no_declaration=factory.LazyFunction(tomorrow_at_ten),
    )
    end = factory.Maybe(
        "group_session",
        yes_declaration=factory.SelfAttribute("group_session.end"),
        no_declaration=factory.LazyAttribute(
            lambda booking: booking.start + timedelta(minutes=booking.format.duration_minutes)
        ),
    )
    busy_until = factory.LazyAttribute(
        lambda booking: booking.end + timedelta(minutes=booking.format.buffer_after_minutes)
    )
    young_person = factory.SubFactory(
        YoungPersonFactory, structure=factory.SelfAttribute("..format.structure")
    )
    source = Booking.Source.WEB
    message = "Je cherche une formation."

    class Meta:
        model = Booking
