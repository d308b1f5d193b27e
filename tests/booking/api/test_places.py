"""Partner sites give both contacts, where to be told, the address of a home visit and the
number to call, under the website's rules."""

from datetime import timedelta

from django.utils import timezone

from booking.models import Booking, Place

from ..factories import HOME_ADDRESS, BookingFactory, PlaceFactory, YoungPersonFactory
from .support import booking_payload, post


def test_both_contacts_are_accepted_with_where_to_be_told(client, samira, day):
    response = post(client, booking_payload(day, phone="06 12 34 56 78", preferred_channel="sms"))

    assert response.status_code == 201
    person = Booking.objects.get().young_person
    assert (person.phone, person.preferred_channel) == ("+33612345678", "sms")


def test_both_contacts_without_a_choice_name_the_field(client, samira, day):
    response = post(client, booking_payload(day, phone="06 12 34 56 78"))

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["preferred_channel"]
    assert not Booking.objects.exists()


def test_a_home_visit_takes_the_address_and_names_a_missing_part(
    client, samira, day, django_capture_on_commit_callbacks
):
    BookingFactory(
        counsellor=samira,
        start=timezone.now() - timedelta(days=10),
        status=Booking.Status.ATTENDED,
        young_person=YoungPersonFactory(),
    )  # Léa has met us
    home = PlaceFactory(kind=Place.Kind.HOME, name="Chez toi")
    samira.places.add(home)
    samira.availability_rules.update(place=home)

    missing = post(client, booking_payload(day, place=home.pk, **{**HOME_ADDRESS, "home_town": ""}))
    assert missing.status_code == 422
    assert list(missing.json()["errors"]) == ["home_town"]

    with django_capture_on_commit_callbacks(execute=True):
        answered = post(client, booking_payload(day, place=home.pk, **HOME_ADDRESS))

    assert answered.status_code == 202, "the answer goes by e-mail (services.contacts)"
    visit = Booking.objects.get(place=home)
    assert (visit.home_street, visit.home_postcode, visit.home_town) == (
        "12 rue des Écoles",
        "62300",
        "Lens",
    )


def test_a_call_keeps_the_number_to_call(client, samira, day):
    by_phone = PlaceFactory(kind=Place.Kind.PHONE, name="Par téléphone")
    samira.places.add(by_phone)
    samira.availability_rules.update(place=by_phone)

    response = post(client, booking_payload(day, place=by_phone.pk, email="", phone="0612345678"))

    assert response.status_code == 201
    assert Booking.objects.get().call_phone == "+33612345678"
