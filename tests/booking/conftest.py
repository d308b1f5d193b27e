"""Builders for the booking tests. Times are Europe/Paris wall clock unless they end in Z."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurrence
from django.contrib.auth.models import Group

from booking.models import AvailabilityRule, Counsellor, Format, GroupSession, Place

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = [recurrence.MO, recurrence.TU, recurrence.WE, recurrence.TH, recurrence.FR]


def paris(text):
    """'2026-03-02 09:00' in Paris, as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def weekly(*days):
    return recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.WEEKLY, byday=list(days))])


@pytest.fixture
def individuel(db):
    """One-to-one, 45 minutes plus a 15-minute break, 24 hours' notice, 60 days ahead."""
    return Format.objects.create(
        slug="test-individuel",
        name="Individuel",
        duration_minutes=45,
        buffer_after_minutes=15,
        minimum_notice_hours=24,
        horizon_days=60,
        place_kinds=[kind.value for kind in Place.Kind],
    )


@pytest.fixture
def structure(db):
    return Place.objects.create(kind=Place.Kind.STRUCTURE, name="Espace Passerelle")


@pytest.fixture
def make_counsellor(db, django_user_model, structure, individuel):
    """A counsellor offering `formats` (default: individuel) at `place` (default: the
    structure), open on `days` (default Monday to Friday) from `start` to `end`."""

    def make(slug, *, formats=None, place=None, days=WEEKDAYS, start="09:00", end="12:00"):
        formats = formats or [individuel]
        place = place or structure
        user = django_user_model.objects.create(username=f"user-{slug}")
        counsellor = Counsellor.objects.create(user=user, slug=slug, first_name=slug.title())
        counsellor.formats.set(formats)
        counsellor.places.add(place)
        AvailabilityRule.objects.create(
            counsellor=counsellor,
            recurrence=weekly(*days),
            start_time=time.fromisoformat(start),
            end_time=time.fromisoformat(end),
            place=place,
        )
        return counsellor

    return make


def join(user, group):
    """Put `user` in one of the groups the migrations create (Conseillers, Responsables)."""
    user.groups.add(Group.objects.get(name=group))


@pytest.fixture
def make_team_counsellor(make_counsellor):
    """Like make_counsellor, for someone who signs in to the admin as a counsellor."""

    def make(slug, **options):
        counsellor = make_counsellor(slug, **options)
        join(counsellor.user, "Conseillers")
        return counsellor

    return make


@pytest.fixture
def collectif(db):
    """Groups of up to 8, 90 minutes plus a 30-minute break, 12 hours' notice."""
    return Format.objects.create(
        slug="test-collectif",
        name="Collectif",
        duration_minutes=90,
        buffer_after_minutes=30,
        capacity=8,
        minimum_notice_hours=12,
        horizon_days=60,
        place_kinds=[Place.Kind.STRUCTURE.value],
    )


@pytest.fixture
def make_session(db, structure, collectif):
    def make(counsellor, start, *, capacity=3, place=None):
        start = paris(start)
        return GroupSession.objects.create(
            counsellor=counsellor,
            format=collectif,
            place=place or structure,
            start=start,
            end=start + timedelta(minutes=collectif.duration_minutes),
            capacity=capacity,
        )

    return make
