"""Booking on the website with a mobile number from France, overseas or, where the
structure allows it, the EU; a refused number stays in the field to be corrected."""

import pytest
from django.utils.translation import gettext

from booking.models import Booking
from structures.models import Structure

from ..flow_support import assert_shows, choices, free_slots, post_booking, text


@pytest.fixture
def journey(samira, individuel, structure):
    return choices(samira, individuel, structure, free_slots(samira)[0])


def test_a_reunion_mobile_typed_in_lens_is_stored_for_la_reunion(client, journey):
    response = post_booking(client, journey, email="", phone="0692 12 34 56")

    assert response.status_code == 303
    assert Booking.objects.get().young_person.phone == "+262692123456"


def test_a_belgian_mobile_is_refused_keeping_it_unless_the_structure_allows_it(
    client, journey, settings
):
    response = post_booking(client, journey, email="", phone="+32 470 12 34 56")

    assert response.status_code == 400
    assert_shows(
        response, gettext("Only French mobile numbers, from France or overseas, are accepted here.")
    )
    assert 'value="+32 470 12 34 56"' in text(response)
    assert not Booking.objects.exists()

    lens = Structure.default()
    lens.accept_eu_mobiles = True
    lens.save()
    response = post_booking(client, journey, email="", phone="+32 470 12 34 56")
    assert response.status_code == 303
    assert Booking.objects.get().young_person.phone == "+32470123456"
