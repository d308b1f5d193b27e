"""A structure's data never shows on another structure's site, whether listed or
guessed: counsellors, formats, places and slots in the API, bookings by their manage
links, counsellors' feeds by their tokens, people in the admin by their ids."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking.calendars import feed
from booking.models import Booking, Place
from booking.services.tokens import make_token
from booking.staff.personal_data import PERSONAL_DATA
from tests.booking.factories import (
    BookingFactory,
    FormatFactory,
    PlaceFactory,
    YoungPersonFactory,
)

from .conftest import LENS_HOST, SUD_HOST, admin_url

API = "/api/v1"

pytestmark = pytest.mark.django_db


def next_monday():
    today = timezone.localdate()
    return today + timedelta(days=14 - today.weekday())


def test_each_site_lists_only_its_own_counsellors_and_formats(
    lens_counsellor, sud_counsellor, lens_client, sud_client
):
    assert [c["slug"] for c in lens_client.get(f"{API}/counsellors").json()] == ["samia"]
    assert [c["slug"] for c in sud_client.get(f"{API}/counsellors").json()] == ["nathalie"]
    lens_formats = {f["slug"] for f in lens_client.get(f"{API}/formats").json()}
    sud_formats = {f["slug"] for f in sud_client.get(f"{API}/formats").json()}
    assert "individuel" in lens_formats and "individuel" in sud_formats
    assert len(sud_formats) == 1, "the seeded formats are Lens's"


def test_another_structures_counsellor_cannot_be_asked_for(
    lens_counsellor, sud_counsellor, sud_client
):
    day = next_monday()
    answer = sud_client.get(f"{API}/slots", {"start": day, "end": day, "counsellor": "samia"})
    assert answer.status_code == 422
    own = sud_client.get(f"{API}/slots", {"start": day, "end": day, "counsellor": "nathalie"})
    assert own.status_code == 200 and own.json()
    assert {slot["counsellor"] for slot in own.json()} == {"nathalie"}


def test_slots_are_on_each_structures_own_clock(
    lens_counsellor, sud_counsellor, lens_client, sud_client
):
    """9:00 in Saint-Denis is 5:00 or 6:00 in Lens: each site offers its own 9:00."""
    day = next_monday()
    query = {"start": day, "end": day, "format": "individuel"}
    lens_first = lens_client.get(f"{API}/slots", query).json()[0]["start"]
    sud_first = sud_client.get(f"{API}/slots", query).json()[0]["start"]
    assert lens_first.startswith(f"{day}T09:00:00+0")  # +01:00 or +02:00
    assert sud_first == f"{day}T09:00:00+04:00"


def test_a_booking_on_a_site_uses_that_structures_format_and_place(
    lens_counsellor, sud_counsellor, sud_client
):
    day = next_monday()
    sud_place = Place.objects.get(structure=sud_counsellor.structures.get(), name="Bureau nathalie")
    lens_place = Place.objects.get(name="Bureau samia")
    payload = {
        "counsellor": "nathalie",
        "format": "individuel",
        "start": f"{day}T10:00:00",
        "place": lens_place.pk,
        "first_name": "Inès",
        "email": "ines@example.org",
        "consent": True,
    }
    post = lambda data: sud_client.post(  # noqa: E731
        f"{API}/bookings", json.dumps(data), content_type="application/json"
    )

    guessed = post(payload)
    assert guessed.status_code == 422, "Lens's place does not exist on Sud's site"
    booked = post({**payload, "place": sud_place.pk})

    assert booked.status_code == 201, booked.content
    booking = Booking.objects.get()
    assert booking.format.structure == sud_place.structure
    assert booking.young_person.structure == sud_place.structure
    assert booked.json()["start"] == f"{day}T10:00:00+04:00"
    assert booked.json()["manage_url"].startswith("http://sud.localhost/")


def test_a_manage_link_opens_only_on_its_structures_site(
    lens_counsellor, other_structure, lens_client, sud_client
):
    booking = BookingFactory(counsellor=lens_counsellor, format=lens_counsellor.formats.get())
    path = reverse("booking:manage", args=[make_token(booking)])

    assert lens_client.get(path).status_code == 200
    assert sud_client.get(path).status_code == 404


def test_a_counsellors_feed_shows_each_structure_its_own_bookings(
    lens_counsellor, other_structure, lens_client, sud_client
):
    """Samia works for both: one address per site, each with that site's bookings."""
    lens_counsellor.structures.add(other_structure)
    there = BookingFactory(
        counsellor=lens_counsellor,
        format=FormatFactory(structure=other_structure, slug="sud"),
        place=PlaceFactory(structure=other_structure),
    )
    here = BookingFactory(counsellor=lens_counsellor, format=lens_counsellor.formats.get())
    path = reverse("booking:counsellor_feed", args=[feed.issue_token(lens_counsellor)])

    in_lens = lens_client.get(path).content.decode()
    in_sud = sud_client.get(path).content.decode()

    assert str(here.uuid) in in_lens and str(there.uuid) not in in_lens
    assert str(there.uuid) in in_sud and str(here.uuid) not in in_sud
    assert f"booking-{there.uuid}@sud.localhost" in in_sud


def test_a_feed_token_finds_nothing_where_the_counsellor_does_not_work(
    lens_counsellor, other_structure, sud_client
):
    path = reverse("booking:counsellor_feed", args=[feed.issue_token(lens_counsellor)])
    assert sud_client.get(path).status_code == 404


def test_staff_find_only_their_structures_people(other_structure, admin_user):
    theirs = YoungPersonFactory(structure=other_structure, email="ines@example.org")
    ours = YoungPersonFactory(email="lea@example.org")
    staff = Client(headers={"host": "localhost"})
    staff.force_login(admin_user)
    export = PERSONAL_DATA.get_url_name("export")

    assert staff.get(reverse(export, args=[ours.pk])).status_code == 200
    assert staff.get(reverse(export, args=[theirs.pk])).status_code == 404


def test_the_admin_shows_and_reaches_only_its_structures_rows(
    lens_counsellor, sud_counsellor, admin_user
):
    sud_place = Place.objects.get(name="Bureau nathalie")
    lens_place = Place.objects.get(name="Bureau samia")
    staff = Client(headers={"host": LENS_HOST})
    staff.force_login(admin_user)

    listing = staff.get(admin_url("place", "list")).content.decode()
    assert "Bureau samia" in listing and "Bureau nathalie" not in listing
    assert staff.get(admin_url("place", "edit", lens_place.pk)).status_code == 200
    assert staff.get(admin_url("place", "edit", sud_place.pk)).status_code == 404
    rule_form = staff.get(admin_url("availabilityrule", "add"))
    assert "Bureau samia" in rule_form.content.decode()
    assert "Bureau nathalie" not in rule_form.content.decode(), "another structure's choices"
    counsellors = staff.get(admin_url("counsellor", "list"))
    assert "Samia" in counsellors.content.decode()
    assert "Nathalie" not in counsellors.content.decode()


def test_a_place_added_in_the_admin_belongs_to_that_sites_structure(other_structure, admin_user):
    staff = Client(headers={"host": SUD_HOST})
    staff.force_login(admin_user)

    staff.post(
        admin_url("place", "add"),
        {"kind": Place.Kind.STRUCTURE, "name": "Antenne du Port", "active": "on"},
    )

    assert Place.objects.get(name="Antenne du Port").structure == other_structure


def test_editing_a_counsellor_on_one_site_keeps_what_they_offer_on_the_other(
    lens_counsellor, other_structure, admin_user
):
    """Samia works for both; Lens's admin shows only Lens's formats and places, and
    saving there leaves her Sud ones alone."""
    sud_format = FormatFactory(structure=other_structure, slug="sud")
    sud_place = PlaceFactory(structure=other_structure, name="Antenne sud")
    lens_counsellor.structures.add(other_structure)
    lens_counsellor.formats.add(sud_format)
    lens_counsellor.places.add(sud_place)
    staff = Client(headers={"host": LENS_HOST})
    staff.force_login(admin_user)
    lens_format = lens_counsellor.formats.get(structure__site__hostname=LENS_HOST)
    lens_place = lens_counsellor.places.get(structure__site__hostname=LENS_HOST)
    edit = admin_url("counsellor", "edit", lens_counsellor.pk)

    assert "Antenne sud" not in staff.get(edit).content.decode()
    answer = staff.post(
        edit,
        {
            "user": lens_counsellor.user_id,
            "first_name": "Samia",
            "slug": "samia",
            "active": "on",
            "formats": [lens_format.pk],
            "places": [lens_place.pk],
            "told": "each_change",
        },
    )

    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert set(lens_counsellor.formats.all()) == {lens_format, sud_format}
    assert set(lens_counsellor.places.all()) == {lens_place, sud_place}
