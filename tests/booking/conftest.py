"""Fixtures for every booking test: the two formats, the structure, the builders of
counsellors and group sessions, the people the tests meet by name, and the staff who
sign in. The rows come from tests/booking/factories.py."""

from datetime import time

import pytest
from django.test import Client

from booking.models import Place
from structures.models import Structure

from .factories import (
    WEEKDAYS,
    AvailabilityRuleFactory,
    CounsellorFactory,
    FormatFactory,
    GroupSessionFactory,
    PlaceFactory,
    UserFactory,
    paris,
)


@pytest.fixture
def individuel(db):
    """One-to-one, 45 minutes plus a 15-minute break, 24 hours' notice, 60 days ahead."""
    return FormatFactory(slug="test-individuel")


@pytest.fixture
def collectif(db):
    """Groups of up to 8, 90 minutes plus a 30-minute break, 12 hours' notice."""
    return FormatFactory(slug="test-collectif", group=True)


@pytest.fixture
def structure(db):
    return PlaceFactory(kind=Place.Kind.STRUCTURE, name="Espace Passerelle")


@pytest.fixture
def make_counsellor(db, structure, individuel):
    """A counsellor offering `formats` (default: individuel) at `place` (default: the
    structure), open on `days` (default Monday to Friday) from `start` to `end`; `team`
    lets them sign in to the admin as a counsellor."""

    def make(
        slug, *, formats=None, place=None, days=WEEKDAYS, start="09:00", end="12:00", team=False
    ):
        place = place or structure
        counsellor = CounsellorFactory(
            slug=slug, formats=formats or [individuel], places=[place], team=team
        )
        AvailabilityRuleFactory(
            counsellor=counsellor,
            place=place,
            days=days,
            start_time=time.fromisoformat(start),
            end_time=time.fromisoformat(end),
        )
        return counsellor

    return make


@pytest.fixture
def make_session(db, structure, collectif):
    """A session of the collectif format at `start` (Paris wall clock), 3 seats by default."""

    def make(counsellor, start, *, capacity=3, place=None):
        return GroupSessionFactory(
            counsellor=counsellor,
            format=collectif,
            place=place or structure,
            start=paris(start),
            capacity=capacity,
        )

    return make


# The people the tests meet by name: counsellors open Monday to Friday, 9:00 to 12:00, for
# individuel at the structure, who sign in to the admin like every counsellor.


@pytest.fixture
def samira(make_counsellor):
    return make_counsellor("samira", team=True)


@pytest.fixture
def samia(make_counsellor):
    return make_counsellor("samia", team=True)


@pytest.fixture
def julien(make_counsellor):
    return make_counsellor("julien", team=True)


@pytest.fixture
def manager(db):
    """A member of the Responsables group, who manages the structure's settings."""
    user = UserFactory(username="responsable", groups=["Responsables"])
    Structure.default().members.add(user)
    return user


@pytest.fixture
def manager_client(manager):
    client = Client()
    client.force_login(manager)
    return client
