"""Every wrong or refused input in the booking journey: a plain message next to the field,
what was typed kept, HTTP 400 (429 for the rate limit), never a 500, and nothing written."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from booking import services
from booking.models import Booking, Place, YoungPerson
from booking.scheduling.listing import SLOT_KEY_FORMAT, slot_key
from booking.web.journey import SLOT_NO_LONGER_FREE
from structures.models import Structure

from ..flow_support import (
    assert_shows,
    book,
    choices,
    flow_url,
    free_slots,
    post_booking,
    text,
)


@pytest.fixture
def journey(samira, individuel, structure):
    """The GET parameters of a complete journey to Samira's first free slot."""
    slot = free_slots(samira)[0]
    return choices(samira, individuel, structure, slot)


def nothing_written():
    return not Booking.objects.exists() and not YoungPerson.objects.exists()


@pytest.mark.parametrize(
    ("params", "name", "message"),
    [
        ({"etape": "conseiller"}, "conseiller", "Please choose who you would like to meet."),
        (
            {"conseiller": "samira", "etape": "format"},
            "format",
            "Please choose how you would like to meet.",
        ),
        (
            {"conseiller": "nobody"},
            "conseiller",
            "This person cannot be booked online at the moment. Please choose again.",
        ),
        (
            {"conseiller": "samira", "format": "unknown"},
            "format",
            "This way of meeting is not offered here. Please choose another one.",
        ),
        (
            {"conseiller": "samira", "format": "test-individuel", "lieu": "999"},
            "lieu",
            "This place is not offered for this way of meeting. Please choose another one.",
        ),
        (
            {"conseiller": "samira", "format": "test-individuel", "etape": "lieu"},
            "lieu",
            "Please choose where you would like to meet.",
        ),
    ],
)
def test_missing_or_unknown_choices(client, samira, individuel, structure, params, name, message):
    response = client.get(flow_url(**params))
    assert response.status_code == 400
    assert_shows(response, gettext(message), count=2)  # in the summary and at the field
    assert f'id="{name}-error"' in text(response)
    assert f'href="#champ-{name}"' in text(response)
    assert gettext("Error:") in text(response).split("</title>")[0]


def test_missing_slot_unknown_slot_and_past_slot(client, journey):
    base = {key: value for key, value in journey.items() if key != "creneau"}

    response = client.get(flow_url(**base, etape="creneau"))
    assert response.status_code == 400
    assert_shows(response, gettext("Please choose a day and a time."))

    response = client.get(flow_url(**base, creneau="not-a-time"))
    assert response.status_code == 400
    assert_shows(
        response,
        services.SlotUnavailable.MESSAGES[services.SlotUnavailable.OUTSIDE_AVAILABILITY],
    )

    past = (timezone.now() - timedelta(days=1)).astimezone(UTC)
    response = post_booking(client, {**base, "creneau": past.strftime(SLOT_KEY_FORMAT)})
    assert response.status_code == 400
    assert_shows(response, services.SlotUnavailable.MESSAGES[services.SlotUnavailable.PAST])
    assert nothing_written()


def test_a_slot_taken_meanwhile_shows_the_slot_step_again_keeping_the_details(
    client, samira, individuel, structure, journey
):
    taken, other = free_slots(samira)[:2]
    response = client.get(flow_url(**journey))
    assert response.status_code == 200
    book(taken, email="quick@example.org")
    assert_shows(client.get(flow_url(**journey)), SLOT_NO_LONGER_FREE)

    # The last step leaves the check to the booking service, which refuses it.
    response = post_booking(client, journey, first_name="Zoé", email="zoe@example.org")
    assert response.status_code == 400
    assert_shows(response, services.SlotTaken.default_message)
    html = text(response)
    assert 'method="post"' in html
    assert 'name="first_name" value="Zoé"' in html
    assert 'name="email" value="zoe@example.org"' in html
    assert f'value="{slot_key(taken)}"' not in html
    assert f'value="{slot_key(other)}"' in html
    assert not YoungPerson.objects.filter(email="zoe@example.org").exists()

    # Choosing another time from that page books at once, with what was typed.
    data = {
        "conseiller": "samira",
        "format": individuel.slug,
        "lieu": str(structure.pk),
        "creneau": slot_key(other),
        "etape": "creneau",
        "first_name": "Zoé",
        "email": "zoe@example.org",
        "consent": "on",
    }
    response = client.post(flow_url(), data)
    assert response.status_code == 303
    assert Booking.objects.get(young_person__email="zoe@example.org").start == other.start


def test_the_service_refusing_a_taken_slot_is_shown_on_the_slot_step(client, journey, monkeypatch):
    """Between the last check and the write someone else can still win: SlotTaken."""

    def taken(**kwargs):
        raise services.SlotTaken

    monkeypatch.setattr(services, "book_told_on_the_page", taken)
    response = post_booking(client, journey)
    assert response.status_code == 400
    assert_shows(response, services.SlotTaken.default_message)
    assert 'name="creneau"' in text(response)
    assert 'name="first_name" value="Léa"' in text(response)


@pytest.mark.parametrize(
    ("details", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Please tell us your first name."),
        (
            {"email": "", "phone": ""},
            "email",
            "Please give an e-mail address or a mobile number so we can reach you.",
        ),
        (
            {"email": "lea@example.org", "phone": "0612345678"},
            "preferred_channel",
            "You gave both: please choose how we should let you know.",
        ),
        (
            {"email": "lea@example", "phone": "0612345678"},
            "email",
            "This e-mail address does not look right. Please check it.",
        ),
        (
            {"email": "lea@example"},
            "email",
            "This e-mail address does not look right. Please check it.",
        ),
        (
            {"email": "", "phone": "0123"},
            "phone",
            "This does not look like a mobile number. Please check it, e.g. 06 12 34 56 78.",
        ),
        (
            {"email": "", "phone": "01 23 45 67 89"},
            "phone",
            "This looks like a landline number. Please give a mobile number: "
            "it is the one we can send text messages to.",
        ),
        (
            {"email": "", "phone": "+32 470 12 34 56"},
            "phone",
            "Only French mobile numbers, from France or overseas, are accepted here.",
        ),
        ({"message": "x" * 501}, "message", "Please keep your message under 500 characters."),
        ({"consent": ""}, "consent", "Please confirm that you agree to how we use your details."),
    ],
)
def test_invalid_details_keep_what_was_typed(client, journey, details, field, message):
    response = post_booking(client, journey, **details)
    assert response.status_code == 400
    assert_shows(response, gettext(message))
    html = text(response)
    assert f'id="id_{field}_error"' in html
    first_input = "id_preferred_channel_0" if field == "preferred_channel" else f"id_{field}"
    assert f'href="#{first_input}"' in html
    for typed in ("email", "phone"):
        if details.get(typed):
            assert f'value="{details[typed]}"' in html
    if field == "message":
        assert "x" * 501 in html
    assert 'name="first_name"' in html
    assert nothing_written()


def test_a_phone_meeting_needs_a_phone_number(client, make_counsellor, individuel):
    phone = Place.objects.create(
        structure=Structure.default(), kind=Place.Kind.PHONE, name="Par téléphone"
    )
    counsellor = make_counsellor("karim", place=phone)
    slot = free_slots(counsellor)[0]
    params = choices(counsellor, individuel, phone, slot)

    response = post_booking(client, params)
    assert response.status_code == 400
    assert_shows(response, gettext("For a meeting by phone, please give your mobile number."))

    response = post_booking(client, params, email="", phone="06 12 34 56 78")
    assert response.status_code == 303
    assert Booking.objects.get().young_person.phone == "+33612345678"


def test_honeypot_books_nothing(client, journey):
    response = post_booking(client, journey, website="https://spam.example")
    assert response.status_code == 400
    assert_shows(
        response,
        gettext("Your request could not be sent. Please check your details and try again."),
    )
    assert 'name="website" id="id_website" value=""' in text(response)
    assert 'aria-hidden="true"' in text(response)
    assert nothing_written()


def test_rate_limit_per_address(client, journey, settings):
    settings.BOOKING_RATE_LIMIT = (3, 3600)
    for _attempt in range(3):
        assert post_booking(client, journey, consent="").status_code == 400
    response = post_booking(client, journey)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert nothing_written()
    assert client.get(flow_url()).status_code == 200, "reading is never limited"
    other = client.post(flow_url(), {**journey}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code != 429, "another address has its own count"


def test_a_counsellor_removed_meanwhile_shows_the_first_step_again(client, samira, journey):
    samira.active = False
    samira.save()
    response = post_booking(client, journey, first_name="Zoé")
    assert response.status_code == 400
    assert_shows(
        response,
        gettext("This person cannot be booked online at the moment. Please choose again."),
    )
    assert 'name="first_name" value="Zoé"' in text(response), "what was typed is carried"
    assert nothing_written()


@pytest.mark.parametrize(
    "params",
    [
        {"conseiller": "sam\x00ira"},
        {"conseiller": "x" * 5000},
        {"conseiller": "samira", "format": "test-individuel", "lieu": "1e9999"},
        {"conseiller": "samira", "format": "test-individuel", "lieu": "1", "semaine": "9999-12-31"},
        {"conseiller": "samira", "format": "test-individuel", "lieu": "1", "semaine": "hier"},
        {
            "conseiller": "samira",
            "format": "test-individuel",
            "lieu": "1",
            "creneau": "99991231T235959Z",
        },
        {
            "conseiller": "samira",
            "format": "test-individuel",
            "lieu": "1",
            "creneau": "groupe-9" * 9,
        },
        {
            "conseiller": "samira",
            "format": "test-collectif",
            "creneau": "groupe-99999999999999999999",
        },
    ],
)
def test_strange_parameters_never_break_the_page(client, samira, collectif, structure, params):
    samira.formats.add(collectif)
    params = {
        key: str(structure.pk) if key == "lieu" and value == "1" else value
        for key, value in params.items()
    }
    assert client.get(flow_url(**params)).status_code in (200, 400)
    assert post_booking(client, params).status_code in (200, 400)
    assert nothing_written()
