"""A job dating that takes registrations, set up as a speed meeting: its pros, its
young people (registered through booking), and staff who sign in to the admin."""

import pytest

from booking.models import EventDate
from eventdays.models import Pro, Sector
from eventdays.speed import services
from events.models import EventType
from tests.booking.factories import CounsellorFactory
from tests.booking.registrations_support import open_event, register

COMPANIES = [
    ("Garage Martin", "Mécanique", Sector.REPAIR),
    ("Boulangerie Ody", "Boulangerie", Sector.HOSPITALITY),
    ("Mairie", "Espaces verts", Sector.NATURE),
    ("Hôpital Nord", "Aide-soignante", Sector.HEALTH),
]


@pytest.fixture
def job_dating(home):
    return open_event(home, onsite=80, title="Adopte un pro", event_type=EventType.JOB_DATING)


def young(event, count, start=0):
    """`count` registrations, named P0, P1… (their e-mail p0@example.org…)."""
    return [register(event, f"P{n}") for n in range(start, start + count)]


def add_pros(meeting, count, seats=2):
    """`count` employers, cycling through COMPANIES (the same company again each four)."""
    return [
        services.add_pro(
            meeting,
            services.ProDetails(
                kind=Pro.Kind.EMPLOYER,
                name=f"Pro {n}",
                company=COMPANIES[n % 4][0],
                job=COMPANIES[n % 4][1],
                sector=COMPANIES[n % 4][2],
                seats=seats,
                email=f"pro{n}@example.org",
            ),
            source=Pro.Source.STAFF,
        )
        for n in range(count)
    ]


@pytest.fixture
def meeting(job_dating):
    """Lina and Yanis registered, three tables of two seats, four rounds."""
    register(job_dating, "Lina")
    register(job_dating, "Yanis")
    meeting = services.set_up(EventDate.objects.get(event=job_dating), rounds=4)
    add_pros(meeting, 3)
    return meeting


@pytest.fixture
def counsellor(db):
    return CounsellorFactory(slug="samira", team=True)
