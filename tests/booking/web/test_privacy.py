"""Nobody learns another person's data by booking with their e-mail address or number:
not their first name, and not whether they have booked before."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from booking import services
from booking.models import Booking, Format, Place
from structures.models import Structure

from ..factories import seats_booked
from ..flow_support import book, choices, free_slots, post_booking, text

VICTORIA = "victoria@example.org"
NEWCOMER = "nouvelle@example.org"


def same_page(html, *typed):
    """The page with what was typed and the per-request tokens taken out."""
    for value in typed:
        html = html.replace(value, "…")
    return re.sub(r'(nonce|value)="[^"]*"', r'\1=""', html)


def ask(client, params, email, phone=""):
    """Book as the flow does; (the POST's answer, the page it leads to)."""
    response = post_booking(client, params, first_name="Attaquant", email=email, phone=phone)
    return response, client.get(response["Location"]) if response.status_code == 303 else None


@pytest.fixture
def first_only(structure):
    return Format.objects.create(
        structure=Structure.default(),
        slug="test-cafe",
        name="Café",
        duration_minutes=30,
        place_kinds=[Place.Kind.STRUCTURE],
        meeting_stage=Format.MeetingStage.FIRST,
    )


# The first name -------------------------------------------------------------------------


def test_the_confirmation_greets_with_the_name_typed_not_the_stored_one(
    client, samira, individuel, structure
):
    slots = free_slots(samira)
    book(slots[0], email=VICTORIA, first_name="Victoria")

    response = post_booking(
        client,
        choices(samira, individuel, structure, slots[1]),
        first_name="Attaquant",
        email=VICTORIA.upper(),
    )
    assert response.status_code == 303
    confirmation = client.get(response["Location"])

    assert "Attaquant" in text(confirmation)
    assert VICTORIA in text(confirmation), "the address typed, normalised"
    manage = client.get(reverse("booking:manage", args=[confirmation.context["token"]]))
    for page in (confirmation, manage):
        assert "Victoria" not in text(page)


def test_the_confirmation_opened_elsewhere_names_nobody(client, samira):
    booking = book(free_slots(samira)[0], email=VICTORIA, first_name="Victoria")
    token = services.tokens.make_token(booking)

    page = client.get(reverse("booking:confirmation", args=[token]))

    assert page.status_code == 200
    assert "Victoria" not in text(page)
    assert VICTORIA not in text(page)


def test_a_phone_booking_shows_the_number_typed_only(client, samira, individuel, structure):
    slots = free_slots(samira)
    book(slots[0], email="", phone="0612345678", first_name="Victoria")

    response = post_booking(
        client,
        choices(samira, individuel, structure, slots[1]),
        first_name="Attaquant",
        email="",
        phone="06 12 34 56 78",
    )
    page = client.get(response["Location"])

    assert "Attaquant" in text(page) and "Victoria" not in text(page)


# Whether a contact has booked before ----------------------------------------------------


def test_a_first_meeting_format_answers_alike_for_a_known_and_an_unknown_contact(
    client, make_counsellor, individuel, structure, first_only, django_capture_on_commit_callbacks
):
    counsellor = make_counsellor("ines", formats=[individuel, first_only])
    book(free_slots(counsellor, individuel)[0], email=VICTORIA)  # Victoria has met us
    slots = free_slots(counsellor, first_only)
    mail.outbox.clear()

    known, known_page = ask(client, choices(counsellor, first_only, structure, slots[0]), VICTORIA)
    with django_capture_on_commit_callbacks(execute=True):
        unknown, unknown_page = ask(
            client, choices(counsellor, first_only, structure, slots[1]), NEWCOMER
        )

    assert known.status_code == unknown.status_code == 303
    assert known["Location"] == unknown["Location"]
    assert known_page.status_code == unknown_page.status_code == 200
    assert same_page(text(known_page), VICTORIA) == same_page(text(unknown_page), NEWCOMER)
    assert "Attaquant" in text(known_page)
    # The rule holds, and only the contact is told the outcome.
    assert Booking.objects.filter(young_person__email=VICTORIA).count() == 1
    assert Booking.objects.filter(young_person__email=NEWCOMER, format=first_only).count() == 1
    to_victoria = [message for message in mail.outbox if message.to == [VICTORIA]]
    assert len(to_victoria) == 1
    assert str(services.MeetingStageMismatch.FIRST_ONLY) in to_victoria[0].body
    assert individuel.name in to_victoria[0].body, "what she can book instead"
    (confirmation,) = [message for message in mail.outbox if message.to == [NEWCOMER]]
    assert "/rendez-vous/gerer/" in confirmation.body, "her link to move or cancel"


def test_a_place_at_home_answers_alike_for_a_known_and_an_unknown_contact(
    client, samira, make_counsellor, individuel
):
    home = Place.objects.create(
        structure=Structure.default(), kind=Place.Kind.HOME, name="Chez toi"
    )
    individuel.place_kinds = [Place.Kind.STRUCTURE, Place.Kind.HOME]
    individuel.save()
    met = book(free_slots(samira)[0], email=VICTORIA)  # met already: may be met at home
    counsellor = make_counsellor("ines", place=home)
    slots = [slot for slot in free_slots(counsellor) if slot.start > met.start]
    mail.outbox.clear()
    params = {"premiere": "non"}

    known, known_page = ask(
        client, choices(counsellor, individuel, home, slots[0], **params), VICTORIA
    )
    unknown, unknown_page = ask(
        client, choices(counsellor, individuel, home, slots[1], **params), NEWCOMER
    )

    assert known["Location"] == unknown["Location"]
    assert same_page(text(known_page), VICTORIA) == same_page(text(unknown_page), NEWCOMER)
    assert not Booking.objects.filter(young_person__email=NEWCOMER).exists()
    (refusal,) = [message for message in mail.outbox if message.to == [NEWCOMER]]
    assert str(services.MeetingStageMismatch.NOT_AT_HOME) in refusal.body


def test_a_group_seat_answers_alike_whether_the_contact_holds_one_or_not(
    client, samira, collectif, make_session
):
    samira.formats.add(collectif)
    day = timezone.localdate() + timedelta(days=8)
    session = make_session(samira, f"{day} 14:00")
    services.book(first_name="Victoria", email=VICTORIA, consent=True, group_session=session)
    params = {"conseiller": "samira", "format": collectif.slug, "creneau": f"groupe-{session.pk}"}
    mail.outbox.clear()

    known, known_page = ask(client, params, VICTORIA)
    unknown, unknown_page = ask(client, params, NEWCOMER)

    assert known["Location"] == unknown["Location"]
    assert same_page(text(known_page), VICTORIA) == same_page(text(unknown_page), NEWCOMER)
    assert seats_booked(session) == 2
    (told,) = [message for message in mail.outbox if message.to == [VICTORIA]]
    assert str(services.AlreadyBooked.default_message) in told.body


def test_a_first_meeting_format_is_booked_with_a_number_alone_whoever_it_is(
    client, make_counsellor, individuel, structure, first_only
):
    """Without an address the answer is on the page, so the number's history is not
    asked: the café of a first meeting stays open to those who have only a phone."""
    counsellor = make_counsellor("ines", formats=[individuel, first_only])
    book(free_slots(counsellor, individuel)[0], email="", phone="0612345678")
    slots = free_slots(counsellor, first_only)

    known, known_page = ask(
        client, choices(counsellor, first_only, structure, slots[0]), "", phone="0612345678"
    )
    unknown, unknown_page = ask(
        client, choices(counsellor, first_only, structure, slots[1]), "", phone="0781234567"
    )

    assert known.status_code == unknown.status_code == 303
    assert "/rendez-vous/confirmation/" in known["Location"]
    assert "/rendez-vous/confirmation/" in unknown["Location"]
    assert "Attaquant" in text(known_page) and "Attaquant" in text(unknown_page)
    assert Booking.objects.filter(format=first_only).count() == 2


def test_a_home_visit_with_a_number_alone_asks_for_an_address_whoever_books(
    client, samira, make_counsellor, individuel
):
    home = Place.objects.create(
        structure=Structure.default(), kind=Place.Kind.HOME, name="Chez toi"
    )
    individuel.place_kinds = [Place.Kind.STRUCTURE, Place.Kind.HOME]
    individuel.save()
    book(free_slots(samira)[0], email="", phone="0612345678")  # met already
    counsellor = make_counsellor("ines", place=home)
    params = choices(counsellor, individuel, home, free_slots(counsellor)[0], premiere="non")

    known, _page = ask(client, params, "", phone="0612345678")
    unknown, _page = ask(client, params, "", phone="0781234567")

    assert known.status_code == unknown.status_code == 400
    assert same_page(text(known), "0612345678") == same_page(text(unknown), "0781234567")
    assert 'name="phone"' in text(known) and "0612345678" in text(known), "what was typed is kept"
    assert "answer by e-mail" in text(known) or "réponse par e-mail" in text(known)
    assert Booking.objects.count() == 1


def test_a_first_meeting_by_phone_is_still_booked_with_a_number_alone(
    client, make_counsellor, first_only
):
    """There is no SMS to send the answer: by phone, it is given on the page."""
    by_phone = Place.objects.create(
        structure=Structure.default(), kind=Place.Kind.PHONE, name="Par téléphone"
    )
    first_only.place_kinds = [Place.Kind.PHONE]
    first_only.save()
    counsellor = make_counsellor("ines", formats=[first_only], place=by_phone)
    params = choices(counsellor, first_only, by_phone, free_slots(counsellor)[0])

    response = post_booking(client, params, email="", phone="06 12 34 56 78")

    assert response.status_code == 303
    assert "/rendez-vous/confirmation/" in response["Location"]
    assert Booking.objects.get().young_person.phone == "+33612345678"
