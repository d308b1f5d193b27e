"""An e-mail address and a mobile number together: who the person is, where they are told,
and why a request never joins a contact to someone else's record."""

import pytest

from booking import services
from booking.models import Booking, Place, YoungPerson
from booking.services import InvalidDetails
from booking.services.contacts import display_contact
from structures.models import Structure

from ..factories import BookingFactory, PlaceFactory, YoungPersonFactory, paris

NOW = paris("2026-03-02 08:00")
TUESDAY_9 = paris("2026-03-03 09:00")
LEA, NUMBER = "lea@example.org", "+33612345678"


def person(**contacts):
    return services.find_or_create_person(Structure.default().pk, first_name="Léa", **contacts)


def test_both_are_kept_for_someone_new_with_the_channel_they_chose(db):
    lea = person(email=LEA, phone="06 12 34 56 78", channel="sms")
    assert (lea.email, lea.phone, lea.preferred_channel) == (LEA, NUMBER, "sms")
    assert lea.contact == NUMBER
    assert display_contact(lea) == f"06 12 34 56 78 · {LEA}"


def test_with_both_given_the_person_must_choose_where_to_be_told(db):
    with pytest.raises(InvalidDetails) as refused:
        person(email=LEA, phone=NUMBER)
    assert refused.value.field == "preferred_channel"
    assert not YoungPerson.objects.exists()


def test_one_contact_alone_says_where_to_tell(db):
    assert person(email=LEA).preferred_channel == "email"
    assert person(phone="+33699999999").preferred_channel == "sms"


def test_the_person_known_by_both_is_found_and_told_where_they_now_ask(db):
    known = YoungPersonFactory(email=LEA, phone=NUMBER, preferred_channel="email")
    again = person(email=LEA, phone=NUMBER, channel="sms")
    assert again == known
    known.refresh_from_db()
    assert known.preferred_channel == "sms"
    assert YoungPerson.objects.count() == 1


def test_someone_who_gave_their_address_last_time_is_found_by_it_and_no_number_is_added(db):
    """Nobody proves a number is theirs: added to a known address, it would tell its
    owner's appointments to whoever typed it."""
    known = YoungPersonFactory(email=LEA)
    again = person(email=LEA, phone=NUMBER, channel="sms")
    assert again == known
    known.refresh_from_db()
    assert (known.phone, known.preferred_channel) == ("", "email")
    assert YoungPerson.objects.count() == 1


def test_a_number_that_is_someone_elses_is_not_taken_from_them(db):
    tom = YoungPersonFactory(first_name="Tom", phone=NUMBER)
    toms_booking = BookingFactory(young_person=tom)
    lea = person(email=LEA, phone=NUMBER, channel="sms")

    assert lea != tom
    assert (lea.email, lea.phone, lea.preferred_channel) == (LEA, "", "email")
    tom.refresh_from_db()
    assert (tom.email, tom.phone, tom.first_name) == ("", NUMBER, "Tom")
    assert list(tom.bookings.all()) == [toms_booking]
    assert not lea.bookings.exists()


def test_an_address_and_a_number_of_two_people_never_merge_them(db):
    lea = YoungPersonFactory(email=LEA)
    tom = YoungPersonFactory(first_name="Tom", phone=NUMBER)
    found = person(email=LEA, phone=NUMBER, channel="sms")
    assert found == lea
    assert YoungPerson.objects.count() == 2
    tom.refresh_from_db()
    assert (tom.email, tom.phone) == ("", NUMBER)


def test_another_structure_does_not_find_this_ones_person(db, other_structure):
    here = person(email=LEA, phone=NUMBER, channel="email")
    there = services.find_or_create_person(
        other_structure.pk, first_name="Léa", email=LEA, phone=NUMBER, channel="sms"
    )
    assert there != here and there.phone == NUMBER
    here.refresh_from_db()
    assert here.preferred_channel == "email"


def test_a_meeting_by_phone_keeps_the_number_to_call_even_when_the_person_has_none(
    make_counsellor, individuel
):
    by_phone = PlaceFactory(kind=Place.Kind.PHONE, name="Par téléphone")
    counsellor = make_counsellor("ines", place=by_phone)
    YoungPersonFactory(email=LEA)
    booking = services.book(
        first_name="Léa",
        email=LEA,
        phone="06 12 34 56 78",
        preferred_channel="sms",
        consent=True,
        format=individuel,
        start=TUESDAY_9,
        place=by_phone,
        counsellor=counsellor,
        now=NOW,
    )
    assert booking.call_phone == NUMBER
    assert booking.young_person.phone == ""
    assert Booking.objects.get().young_person.email == LEA
