"""Meetings at home, by phone and by video as the young person books and finds them, and
both contacts at the last step."""

import pytest
from django.core import mail
from django.urls import reverse

from booking.models import Booking, Place
from booking.services.tokens import make_token
from structures.models import Structure

from ..factories import BookingFactory, PlaceFactory, YoungPersonFactory
from ..flow_support import assert_shows, choices, flow_url, free_slots, post_booking, text


@pytest.fixture
def at_home(make_counsellor, individuel):
    """Karim visits at home; Léa met the structure before his first free time."""
    home = PlaceFactory(kind=Place.Kind.HOME, name="Chez toi")
    karim = make_counsellor("karim", place=home)
    slot = free_slots(karim)[1]
    BookingFactory(
        start=slot.start.replace(hour=8),
        status=Booking.Status.ATTENDED,
        young_person=YoungPersonFactory(),
    )
    return karim, home, slot


def home_params(at_home):
    karim, home, slot = at_home
    return choices(karim, karim.formats.get(), home, slot, premiere="non")


def test_a_home_visit_asks_for_the_address_and_keeps_it_on_the_booking(client, at_home):
    page = client.get(flow_url(**home_params(at_home)))
    html = text(page)
    for attribute in (
        'autocomplete="address-line1"',
        'autocomplete="postal-code"',
        'autocomplete="address-level2"',
        'name="home_access"',
    ):
        assert attribute in html

    response = post_booking(client, home_params(at_home))
    assert response.status_code == 303
    booking = Booking.objects.get(place=at_home[1])
    assert booking.home_address == "12 rue des Écoles\n62300 Lens\nBâtiment B, 2e étage"


def test_a_wrong_address_is_refused_in_plain_words_keeping_what_was_typed(client, at_home):
    response = post_booking(client, home_params(at_home), home_postcode="6230", home_town="")

    assert response.status_code == 400
    assert_shows(response, "Indique ta ville.")
    html = text(response)
    assert 'value="12 rue des Écoles"' in html and 'value="6230"' in html
    assert 'href="#id_home_town"' in html
    assert not Booking.objects.filter(place=at_home[1]).exists()

    response = post_booking(client, home_params(at_home), home_postcode="6230")
    assert_shows(response, "Un code postal a cinq chiffres, par exemple 62300.")


def test_the_address_is_asked_only_for_a_meeting_at_home(client, samira, individuel, structure):
    page = client.get(flow_url(**choices(samira, individuel, structure, free_slots(samira)[0])))
    assert 'name="home_street"' not in text(page)

    post_booking(client, choices(samira, individuel, structure, free_slots(samira)[0]))
    assert Booking.objects.get().home_address == ""


def test_the_persons_pages_say_who_comes_but_never_repeat_the_address(
    client, at_home, django_capture_on_commit_callbacks
):
    """A home visit is answered by e-mail (services.contacts.history_decides)."""
    with django_capture_on_commit_callbacks(execute=True):
        post_booking(client, home_params(at_home))
    booking = Booking.objects.get(place=at_home[1])
    manage = text(client.get(reverse("booking:manage", args=[make_token(booking)])))
    assert "Karim vient chez toi, à l’adresse que tu as donnée." in manage
    assert "rue des Écoles" not in manage
    (email,) = mail.outbox
    assert "Karim vient chez toi" in email.body and "rue des Écoles" not in email.body


def test_both_contacts_with_where_to_be_told(client, samira, individuel, structure):
    params = choices(samira, individuel, structure, free_slots(samira)[0])
    page = text(client.get(flow_url(**params)))
    assert 'name="preferred_channel" value="sms"' in page

    response = post_booking(client, params, phone="06 12 34 56 78", preferred_channel="sms")

    assert response.status_code == 303
    person = Booking.objects.get().young_person
    assert (person.email, person.phone, person.preferred_channel) == (
        "lea@example.org",
        "+33612345678",
        "sms",
    )


@pytest.fixture
def by_video(make_counsellor, individuel):
    video = PlaceFactory(kind=Place.Kind.VIDEO, name="En visio")
    return make_counsellor("ines", place=video), video


def test_a_video_meeting_gets_a_room_on_the_structures_service(
    client, by_video, individuel, django_capture_on_commit_callbacks
):
    ines, video = by_video
    structure = Structure.default()
    structure.video_service_url = "https://visio.example.org/"
    structure.save()
    slot = free_slots(ines)[0]
    params = choices(ines, individuel, video, slot)
    assert "visio.example.org" not in text(client.get(flow_url(**params)))

    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(client, params)

    booking = Booking.objects.get()
    assert len(booking.video_room) == 32
    link = f"https://visio.example.org/{booking.video_room}"
    assert booking.video_url == link
    assert link in text(client.get(response["Location"]))
    manage = client.get(reverse("booking:manage", args=[make_token(booking)]))
    assert link in text(manage)
    (email,) = mail.outbox
    assert link in email.body
    calendar = client.get(reverse("booking:calendar", args=[make_token(booking)]))
    assert f"LOCATION:{link}" in calendar.content.decode()


def test_the_counsellors_own_link_comes_first(
    client, by_video, individuel, django_capture_on_commit_callbacks
):
    ines, video = by_video
    ines.video_url = "https://teams.example.org/ines"
    ines.save()
    with django_capture_on_commit_callbacks(execute=True):
        post_booking(client, choices(ines, individuel, video, free_slots(ines)[0]))
    (email,) = mail.outbox
    assert "https://teams.example.org/ines" in email.body


def test_a_meeting_by_phone_says_who_calls_whom_and_from_which_number(
    client, make_counsellor, individuel, django_capture_on_commit_callbacks
):
    by_phone = PlaceFactory(kind=Place.Kind.PHONE, name="Par téléphone")
    ines = make_counsellor("ines", place=by_phone)
    params = choices(ines, individuel, by_phone, free_slots(ines)[0])

    refused = post_booking(client, params)
    assert_shows(refused, "Pour un rendez-vous par téléphone, donne ton numéro de portable.")

    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(client, params, phone="06 12 34 56 78", preferred_channel="email")
    said = "Ines t’appellera au numéro que tu as donné."
    assert said in text(client.get(response["Location"]))
    booking = Booking.objects.get()
    assert booking.call_phone == "+33612345678"
    (email,) = mail.outbox
    assert said in email.body

    structure = Structure.default()
    structure.caller_phone = "03 21 00 00 00"
    structure.save()
    manage = text(client.get(reverse("booking:manage", args=[make_token(booking)])))
    assert "Ines t’appellera au numéro que tu as donné, depuis le 03 21 00 00 00." in manage
