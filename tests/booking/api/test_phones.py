"""A partner books with the mobile number as the person gives it, from France or
overseas; a number we could not text is refused on the `phone` field, saying why."""

import pytest
from django.utils.translation import gettext

from booking.models import Booking
from structures.models import Structure

from .support import booking_payload, post


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0692 12 34 56", "+262692123456"), ("+590 690 12 34 56", "+590690123456")],
)
def test_an_overseas_mobile_books_under_its_own_country_code(client, samira, day, typed, stored):
    response = post(client, booking_payload(day, email="", phone=typed))

    assert response.status_code == 201, response.content
    assert Booking.objects.get().young_person.phone == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "01 23 45 67 89",
            "This looks like a landline number. Please give a mobile number: "
            "it is the one we can send text messages to.",
        ),
        (
            "+32 470 12 34 56",
            "Only French mobile numbers, from France or overseas, are accepted here.",
        ),
        (
            "06 CALL ME",
            "This does not look like a mobile number. Please check it, e.g. 06 12 34 56 78.",
        ),
    ],
)
def test_a_number_we_cannot_text_is_a_field_error(client, samira, day, typed, message):
    response = post(client, booking_payload(day, email="", phone=typed))

    assert response.status_code == 422
    assert response.json()["errors"] == {"phone": [gettext(message)]}
    assert not Booking.objects.exists()


def test_a_belgian_mobile_books_where_the_structure_accepts_eu_mobiles(
    client, samira, day, settings
):
    structure = Structure.default()
    structure.accept_eu_mobiles = True
    structure.save()

    response = post(client, booking_payload(day, email="", phone="+32 470 12 34 56"))

    assert response.status_code == 201, response.content
    assert Booking.objects.get().young_person.phone == "+32470123456"
