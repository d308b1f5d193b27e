"""Data migrations, run on rows as the old code stored them."""

import importlib

from django.apps import apps

from booking.models import YoungPerson
from booking.services import find_person
from structures.models import Structure

overseas_numbers = importlib.import_module("booking.migrations.0012_overseas_phone_numbers")


def test_overseas_mobiles_stored_under_33_get_their_own_country_code(db):
    """What the old code stored for 0692…, 0639…, 0690…, 0696…, 0694… typed in France."""
    stored = {
        "+33692123456": "+262692123456",
        "+33639262728": "+262639262728",
        "+33690123456": "+590690123456",
        "+33696123456": "+596696123456",
        "+33694123456": "+594694123456",
        "+33612345678": "+33612345678",  # a metropolitan mobile stays
        "+33712345678": "+33712345678",  # no reading anywhere: left as it was
    }
    for number in stored:
        YoungPerson.objects.create(
            structure=Structure.default(), first_name="Maëva", phone=number, preferred_channel="sms"
        )

    overseas_numbers.give_overseas_numbers_their_country_code(apps, None)

    assert sorted(YoungPerson.objects.values_list("phone", flat=True)) == sorted(stored.values())
    assert find_person(Structure.default().pk, phone="0692 12 34 56").phone == "+262692123456"


def test_a_number_someone_already_has_is_left_alone(db):
    old = YoungPerson.objects.create(
        structure=Structure.default(),
        first_name="Maëva",
        phone="+33692123456",
        preferred_channel="sms",
    )
    YoungPerson.objects.create(
        structure=Structure.default(),
        first_name="Maëva",
        phone="+262692123456",
        preferred_channel="sms",
    )

    overseas_numbers.give_overseas_numbers_their_country_code(apps, None)

    old.refresh_from_db()
    assert old.phone == "+33692123456"
