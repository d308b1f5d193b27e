"""Two structures on one install: Lens (the default site, `localhost`) and Sud (its own
site, `sud.localhost`, in La Réunion's time zone), each with a counsellor, a place and a
format of the same slug, open Monday to Friday from 9:00 to 12:00 on its own clock."""

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from booking.models import Format, Place
from structures.models import Structure
from tests.booking.factories import (
    AvailabilityRuleFactory,
    CounsellorFactory,
    FormatFactory,
    PlaceFactory,
)

LENS_HOST, SUD_HOST = "localhost", "sud.localhost"


@pytest.fixture(autouse=True)
def both_hosts(settings):
    settings.ALLOWED_HOSTS = [LENS_HOST, SUD_HOST, "testserver"]


def admin_url(model, view, *args):
    """The address of a booking admin view (a snippet viewset's)."""
    return reverse(f"wagtailsnippets_booking_{model}:{view}", args=args)


def open_counsellor(structure, slug):
    """A counsellor of `structure`, open weekdays 9:00–12:00 at its office, with its
    `individuel` format (Lens's is the one the migrations seed)."""
    place = PlaceFactory(structure=structure, kind=Place.Kind.STRUCTURE, name=f"Bureau {slug}")
    fmt = Format.objects.filter(structure=structure, slug="individuel").first()
    fmt = fmt or FormatFactory(structure=structure, slug="individuel", name="Individuel")
    counsellor = CounsellorFactory(
        slug=slug, structures=[structure], formats=[fmt], places=[place], team=True
    )
    AvailabilityRuleFactory(
        counsellor=counsellor, place=place, start_time=time(9), end_time=time(12)
    )
    return counsellor


@pytest.fixture
def lens(db):
    return Structure.default()


@pytest.fixture
def lens_counsellor(lens):
    return open_counsellor(lens, "samia")


@pytest.fixture
def sud_counsellor(other_structure):
    return open_counsellor(other_structure, "nathalie")


@pytest.fixture
def lens_client():
    return Client(headers={"host": LENS_HOST})


@pytest.fixture
def sud_client():
    return Client(headers={"host": SUD_HOST})
