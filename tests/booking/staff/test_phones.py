"""Staff read a young person's number as they would dial it from the structure."""

import pytest
from django.urls import reverse

from ..factories import BookingFactory, YoungPersonFactory


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+33612345678", "06 12 34 56 78"),
        ("+262692123456", "0692 12 34 56"),
        ("+32470123456", "+32 470 12 34 56"),
    ],
)
def test_the_booking_and_the_personal_data_pages_show_the_number_to_dial(
    manager_client, samira, stored, shown
):
    booking = BookingFactory(counsellor=samira, young_person=YoungPersonFactory(phone=stored))
    inspect = reverse("wagtailsnippets_booking_booking:inspect", args=[booking.pk])

    assert shown in manager_client.get(inspect).content.decode()
    found = manager_client.post(reverse("booking_personal_data:find"), {"contact": shown})
    assert found.context["person"] == booking.young_person
    assert shown in found.content.decode()
    erase = reverse("booking_personal_data:erase", args=[booking.young_person.pk])
    assert shown in manager_client.get(erase).content.decode()
