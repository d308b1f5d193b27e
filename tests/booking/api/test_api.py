"""The partner API: same slots, rules and limits as the website, errors in one shape, and
never a server error whatever is sent."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from booking.models import Booking, Format, Place
from booking.services import MeetingStageMismatch, TooManyBookings
from structures.models import Structure

from ..factories import HOME_ADDRESS, seats_booked
from .support import API, at, booking_payload, post

# Reading ------------------------------------------------------------------------------


def test_formats(client, individuel):
    formats = {f["slug"]: f for f in client.get(f"{API}/formats").json()}

    assert formats["test-individuel"]["duration_minutes"] == 45
    assert formats["test-individuel"]["capacity"] == 1
    assert set(formats["cafe"]) == {
        "slug",
        "name",
        "description",
        "duration_minutes",
        "capacity",
        "place_kinds",
        "meeting_stage",
    }
    assert formats["cafe"]["meeting_stage"] == "first"


def test_counsellors(client, samira, make_counsellor):
    make_counsellor("julien").formats.clear()

    assert client.get(f"{API}/counsellors").json() == [
        {
            "slug": "samira",
            "first_name": "Samira",
            "formats": ["test-individuel"],
            "profile_url": None,
        }
    ]


def test_slots_of_one_counsellor_in_paris_time(client, samira, day):
    response = client.get(
        f"{API}/slots",
        {"counsellor": "samira", "format": "test-individuel", "start": day, "end": day},
    )

    assert response.status_code == 200
    slots = response.json()
    assert [slot["start"] for slot in slots] == [
        at(day, clock).isoformat() for clock in ("09:00", "10:00", "11:00")
    ]
    assert slots[0]["end"] == at(day, "09:45").isoformat()
    assert slots[0]["counsellor"] == "samira"
    assert slots[0]["place"]["name"] == "Espace Passerelle"
    assert slots[0]["place"]["kind"] == "structure"
    assert slots[0]["seats_left"] == 1


def test_slots_of_any_counsellor_are_merged(client, samira, make_counsellor, day):
    make_counsellor("julien")

    slots = client.get(f"{API}/slots", {"start": day, "end": day}).json()

    assert len(slots) == 3
    assert {(slot["counsellor"], slot["seats_left"]) for slot in slots} == {(None, 2)}


def test_group_sessions_are_slots_with_their_seats(client, samira, collectif, make_session, day):
    samira.formats.add(collectif)
    make_session(samira, f"{day} 14:00", capacity=6)

    query = {"format": "test-collectif", "start": day, "end": day}
    slots = client.get(f"{API}/slots", query).json()

    assert [(slot["start"], slot["seats_left"]) for slot in slots] == [
        (at(day, "14:00").isoformat(), 6)
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-02-30"}, "start"),
        ({"start": "demain"}, "start"),
        ({"start": "2026-03-01", "end": "2026-04-15"}, "end"),
        ({"start": "2026-03-10", "end": "2026-03-01"}, "end"),
        ({"start": "0001-01-01", "end": "0001-01-02"}, "start"),
        ({"start": "9999-12-30", "end": "9999-12-31"}, "start"),
        ({"counsellor": "personne"}, "counsellor"),
        ({"counsellor": "<script>"}, "counsellor"),
        ({"format": "x" * 500}, "format"),
        ({"format": "inconnu"}, "format"),
    ],
)
def test_slot_queries_are_checked(client, samira, params, field):
    response = client.get(f"{API}/slots", params)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert all(isinstance(message, str) for message in response.json()["errors"][field])


def test_slots_cost_the_same_for_1_or_20_counsellors(
    client, make_counsellor, day, django_assert_max_num_queries
):
    def count(counsellors):
        for index in range(counsellors):
            make_counsellor(f"c{counsellors}-{index}")
        client.get(f"{API}/formats")  # the site's structure, read once, is cached
        with django_assert_max_num_queries(20) as captured:
            response = client.get(f"{API}/slots", {"start": day, "end": day + timedelta(days=6)})
        assert response.status_code == 200 and response.json()
        return len(captured)

    assert count(1) == count(20)


def test_the_openapi_description_is_served_with_the_partner_key_scheme(client, db):
    schema = client.get(f"{API}/openapi.json").json()

    assert {"/api/v1/slots", "/api/v1/bookings", "/api/v1/counsellors"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["PartnerKey"]["scheme"] == "bearer"
    booking = schema["paths"]["/api/v1/bookings"]["post"]
    assert booking["security"] == [{"PartnerKey": []}, {}], "the key is optional"


def test_the_docs_page_uses_only_the_sites_own_static_files(client, db):
    response = client.get(f"{API}/docs")

    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses and all(address.startswith("/static/") for address in addresses)
    assert "cdn" not in html.lower()


# Booking ------------------------------------------------------------------------------


def test_a_partner_books_without_cookies_or_csrf_token(samira, day):
    client = Client(enforce_csrf_checks=True)

    response = post(client, booking_payload(day, message="Je cherche une alternance."))

    assert response.status_code == 201
    data = response.json()
    booking = Booking.objects.get(uuid=uuid.UUID(data["reference"]))
    assert booking.source == Booking.Source.API
    assert booking.start == at(day, "10:00")
    assert booking.consent_at is not None
    assert data["start"] == at(day, "10:00").isoformat()
    assert data["counsellor"] == "samira" and data["status"] == "confirmed"
    manage = client.get(data["manage_url"].removeprefix("http://127.0.0.1:8000"))
    assert manage.status_code == 200
    calendar = client.get(data["ics_url"].removeprefix("http://127.0.0.1:8000"))
    assert calendar["Content-Type"].startswith("text/calendar")


def test_a_taken_time_is_a_conflict(client, samira, day):
    assert post(client, booking_payload(day)).status_code == 201

    response = post(client, booking_payload(day, email="noah@example.org", first_name="Noah"))

    assert response.status_code == 409
    assert response.json()["detail"]
    assert Booking.objects.count() == 1


def test_any_counsellor_books_whoever_is_free(client, samira, make_counsellor, day):
    make_counsellor("julien")

    first = post(client, booking_payload(day, counsellor="any"))
    second = post(client, booking_payload(day, counsellor="any", email="noah@example.org"))

    assert {first.json()["counsellor"], second.json()["counsellor"]} == {"samira", "julien"}


def test_a_naive_time_is_paris_time(client, samira, day):
    response = post(client, booking_payload(day, start=f"{day}T11:00:00"))

    assert response.status_code == 201
    assert response.json()["start"] == at(day, "11:00").isoformat()


def test_a_group_seat_is_booked_by_its_time(client, samira, collectif, make_session, day):
    samira.formats.add(collectif)
    session = make_session(samira, f"{day} 14:00", capacity=6)

    response = post(
        client, booking_payload(day, format="test-collectif", start=at(day, "14:00").isoformat())
    )

    assert response.status_code == 202, "the answer goes by e-mail: see test_privacy"
    assert seats_booked(session) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": False}, "consent"),
        ({"consent": "yes"}, "consent"),
        ({"email": "", "phone": ""}, "email"),
        ({"email": "lea@example.org", "phone": "0612345678"}, "preferred_channel"),
        ({"email": "lea@", "phone": "0612345678"}, "email"),
        ({"email": "lea@"}, "email"),
        ({"email": "", "phone": "0123"}, "phone"),
        ({"first_name": ""}, "first_name"),
        ({"first_name": "L" * 5000}, "first_name"),
        ({"first_name": "Léa\x00"}, "first_name"),
        ({"first_name": 42}, "first_name"),
        ({"message": "m" * 501}, "message"),
        ({"format": "inconnu"}, "format"),
        ({"format": None}, "format"),
        ({"counsellor": "personne"}, "counsellor"),
        ({"place": 999999}, "place"),
        ({"place": "un"}, "place"),
        ({"place": 10**30}, "place"),
        ({"place": -1}, "place"),
        ({"start": "2026-02-30T10:00:00+01:00"}, "start"),
        ({"start": "9999-12-31T10:00:00+01:00"}, "start"),
        ({"start": "0001-01-01T00:00:00+00:00"}, "start"),
        ({"start": 1700000000}, "start"),
        ({"start": "hier"}, "start"),
        ({"start": "2020-01-06T10:00:00+01:00"}, "start"),
        ({"start": "2099-01-05T10:00:00+01:00"}, "start"),
    ],
)
def test_bad_booking_requests_name_the_field(client, samira, day, overrides, field):
    response = post(client, booking_payload(day, **overrides))

    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert all(isinstance(message, str) and message for message in errors[field])
    assert not Booking.objects.exists()


def test_a_time_not_offered_is_refused_on_start(client, samira, day):
    response = post(client, booking_payload(day, start=at(day, "10:20").isoformat()))

    assert response.status_code == 422
    assert "start" in response.json()["errors"]


def test_a_meeting_by_phone_needs_a_mobile_number(client, samira, day):
    by_phone = Place.objects.create(
        structure=Structure.default(), kind=Place.Kind.PHONE, name="Par téléphone"
    )
    samira.places.add(by_phone)
    samira.availability_rules.update(place=by_phone)

    response = post(client, booking_payload(day, place=by_phone.pk))

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["phone"]
    assert not Booking.objects.exists()


def test_a_first_meeting_never_happens_at_home(client, samira, day):
    home = Place.objects.create(
        structure=Structure.default(), kind=Place.Kind.HOME, name="Chez toi"
    )
    samira.places.add(home)
    samira.availability_rules.update(place=home)

    response = post(client, booking_payload(day, place=home.pk, **HOME_ADDRESS))

    assert response.status_code == 202, "the answer goes by e-mail: see test_privacy"
    assert not Booking.objects.exists()
    (refusal,) = mail.outbox
    assert str(MeetingStageMismatch.NOT_AT_HOME) in refusal.body


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[]",
        '"a string"',
        "null",
        "",
        json.dumps({"start": {"nested": ["x"] * 100}}),
        "\x00\x01\x02",
        "é" * 100_000,
    ],
)
def test_garbage_never_makes_a_server_error(client, samira, body):
    response = client.post(f"{API}/bookings", body, content_type="application/json")

    assert 400 <= response.status_code < 500
    assert "detail" in response.json() or "errors" in response.json()


def test_a_body_too_large_is_refused(client, samira, day):
    payload = booking_payload(day, message="m" * 3_000_000)

    assert post(client, payload).status_code == 400


def test_failed_bookings_count_with_the_websites_per_address(client, samira, day, settings):
    """Without a key, failed attempts of the API and the website share one count per
    address; the bookings made are not counted."""
    settings.BOOKING_RATE_LIMIT = (2, 3600)
    made = [
        post(client, booking_payload(day, start=at(day, clock).isoformat())).status_code
        for clock in ("09:00", "10:00", "11:00")
    ]
    assert made == [201, 201, 201]

    client.post("/rendez-vous/", {"etape": "coordonnees"})  # a failed web attempt
    failed = post(client, booking_payload(day, consent=False, email="sam@example.org"))
    refused = post(client, booking_payload(day, email="sam@example.org"))

    assert (failed.status_code, refused.status_code) == (422, 429)
    assert int(refused["Retry-After"]) > 0 and refused.json()["detail"]


def test_a_number_over_the_limit_of_appointments_to_come_is_a_conflict(client, samira, day):
    clocks = ("09:00", "10:00", "11:00")
    for clock in clocks:
        payload = booking_payload(day, start=at(day, clock).isoformat(), email="")
        assert post(client, {**payload, "phone": "0612345678"}).status_code == 201

    later = booking_payload(day + timedelta(days=1), email="", phone="0612345678")
    response = post(client, later)

    assert response.status_code == 409
    assert response.json()["detail"] == str(TooManyBookings(3).message)
    assert Booking.objects.count() == 3


def test_an_address_over_the_limit_gets_the_same_202_and_the_reason_by_e_mail(client, samira, day):
    for clock in ("09:00", "10:00", "11:00"):
        post(client, booking_payload(day, start=at(day, clock).isoformat()))
    mail.outbox.clear()

    response = post(client, booking_payload(day + timedelta(days=1)))

    assert response.status_code == 202
    assert Booking.objects.count() == 3
    (refusal,) = mail.outbox
    assert str(TooManyBookings(3).message) in refusal.body


def test_an_inactive_format_cannot_be_booked(client, samira, individuel, day):
    Format.objects.filter(pk=individuel.pk).update(active=False)

    response = post(client, booking_payload(day))

    assert response.status_code == 422 and list(response.json()["errors"]) == ["format"]
