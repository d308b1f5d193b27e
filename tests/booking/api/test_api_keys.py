"""Partner sites' API keys: made by a command that shows each once, stored as a digest
only, revoked at once, counted per key rather than per address, and the only way to
cancel or move a booking through the API: that key's own bookings, nobody else's."""

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext

from booking.api.auth import KEY_NEEDED, UNKNOWN_KEY
from booking.models import ApiKey, Booking
from booking.services import SlotTaken
from structures.models import Structure

from ..flow_support import book, free_slots
from .support import API, at, booking_payload, post


def create_key(name="Lycée Condorcet", *arguments):
    out = io.StringIO()
    call_command("create_api_key", name, *arguments, stdout=out)
    printed = out.getvalue()
    (key,) = [word for word in printed.split() if word.startswith("psl_")]
    return key, printed


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def change(client, booking_reference, action, key, payload=None):
    return client.post(
        f"{API}/bookings/{booking_reference}/{action}",
        json.dumps(payload or {}),
        content_type="application/json",
        **(bearer(key) if key else {}),
    )


@pytest.fixture
def key(db):
    return create_key()[0]


# The key ------------------------------------------------------------------------------


def test_the_command_prints_the_key_once_and_only_its_digest_is_stored(db):
    key, printed = create_key("Site du lycée")

    row = ApiKey.objects.get()
    assert row.name == "Site du lycée"
    assert row.structure == Structure.default()
    assert row.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(row.prefix) and len(row.prefix) < 12
    stored = json.dumps(list(ApiKey.objects.values()), default=str)
    assert key not in stored and key[len(row.prefix) :] not in stored
    assert "shown this once" in printed


def test_the_command_names_another_structure_by_host_or_id(other_structure):
    create_key("Partenaire", "--structure", "sud.localhost")
    create_key("Autre", "--structure", str(other_structure.pk))

    assert set(ApiKey.objects.values_list("structure", flat=True)) == {other_structure.pk}
    with pytest.raises(CommandError):
        create_key("Nulle part", "--structure", "inconnu.example.org")


def test_a_key_books_and_the_booking_remembers_it(client, samira, day, key):
    response = post(client, booking_payload(day), **bearer(key))

    assert response.status_code == 201
    booking = Booking.objects.get()
    assert booking.source == Booking.Source.API
    assert booking.api_key == ApiKey.objects.get()
    assert ApiKey.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer psl_not-a-key", "Bearer ", "Basic dXNlcjpwYXNz", "psl_no-scheme"],
)
def test_a_bad_key_gets_401_in_french_and_nothing_booked(client, samira, day, key, header):
    response = post(client, booking_payload(day), HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]
    assert not Booking.objects.exists()
    assert client.get(f"{API}/formats", HTTP_AUTHORIZATION=header).status_code == 401


def test_revoking_a_key_takes_effect_at_once(client, samira, day, key):
    assert client.get(f"{API}/formats", **bearer(key)).status_code == 200

    ApiKey.objects.update(revoked=True)

    response = post(client, booking_payload(day), **bearer(key))
    assert response.status_code == 401
    assert response.json()["detail"] == gettext(str(UNKNOWN_KEY))


def test_another_structures_key_is_not_valid_here(client, samira, day, other_structure):
    key, _printed = create_key("Partenaire du sud", "--structure", "sud.localhost")

    assert post(client, booking_payload(day), **bearer(key)).status_code == 401


# Limits per key -----------------------------------------------------------------------


def test_a_key_is_counted_apart_from_its_address(client, samira, day, key, settings):
    """The address's ceiling does not stop the partner, whose failed attempts count on
    its key (from any address), under the key's own ceiling."""
    settings.BOOKING_RATE_LIMIT = (2, 3600)
    settings.BOOKING_API_KEY_RATE_LIMIT = (4, 3600)
    refused = booking_payload(day, consent=False)

    by_key = [
        post(client, refused, REMOTE_ADDR=f"192.0.2.{number}", **bearer(key)).status_code
        for number in range(5)
    ]
    anonymous = [post(client, refused).status_code for _attempt in range(3)]

    assert by_key == [422] * 4 + [429]
    assert anonymous == [422, 422, 429], "the address keeps its own count"


def test_bookings_made_with_a_key_are_not_counted(
    client, samira, make_counsellor, day, key, settings
):
    settings.BOOKING_API_KEY_RATE_LIMIT = (1, 3600)
    statuses = [
        post(
            client,
            booking_payload(day, start=at(day, clock).isoformat(), email=f"p{number}@example.org"),
            **bearer(key),
        ).status_code
        for number, clock in enumerate(("09:00", "10:00", "11:00"))
    ]

    assert statuses == [201, 201, 201]


def test_a_partner_retrying_a_taken_slot_waits(client, samira, day, key, settings):
    settings.BOOKING_SLOT_ATTEMPTS = (2, 3600)
    post(client, booking_payload(day, email="first@example.org"))

    statuses = [
        post(client, booking_payload(day, email="other@example.org"), **bearer(key)).status_code
        for _attempt in range(3)
    ]

    assert statuses == [409, 409, 429]


# A partner's own bookings -------------------------------------------------------------


@pytest.fixture
def keyed_booking(client, samira, day, key):
    response = post(client, booking_payload(day), **bearer(key))
    assert response.status_code == 201
    return response.json()


def test_a_partner_cancels_its_booking(client, keyed_booking, key):
    response = change(client, keyed_booking["reference"], "cancel", key)

    assert response.status_code == 200
    assert response.json()["status"] == Booking.Status.CANCELLED_BY_PERSON
    assert Booking.objects.get().status == Booking.Status.CANCELLED_BY_PERSON


def test_a_partner_moves_its_booking_and_the_reference_stays(client, keyed_booking, key, day):
    new_start = at(day, "11:00").isoformat()

    response = change(client, keyed_booking["reference"], "move", key, {"start": new_start})

    assert response.status_code == 200
    assert response.json()["reference"] == keyed_booking["reference"]
    assert response.json()["start"] == new_start
    assert Booking.objects.get().start == at(day, "11:00")


def test_moving_to_a_taken_time_is_a_conflict(client, keyed_booking, key, day):
    post(client, booking_payload(day, start=at(day, "11:00").isoformat(), email="x@example.org"))

    response = change(
        client, keyed_booking["reference"], "move", key, {"start": at(day, "11:00").isoformat()}
    )

    assert response.status_code == 409
    assert response.json()["detail"] == gettext(str(SlotTaken.default_message))


def test_another_keys_booking_or_a_websites_is_not_found(
    client, keyed_booking, samira, individuel, structure
):
    other_key, _printed = create_key("Autre partenaire")
    web_booking = book(free_slots(samira)[-1], email="web@example.org")

    for reference, used in ((keyed_booking["reference"], other_key), (web_booking.uuid, other_key)):
        for action in ("cancel", "move"):
            response = change(client, reference, action, used, {"start": "2099-01-01T10:00"})
            assert response.status_code == 404, (reference, action)
            assert response.json()["detail"]
    assert change(client, "not-a-uuid", "cancel", other_key).status_code == 404
    assert set(Booking.objects.values_list("status", flat=True)) == {Booking.Status.CONFIRMED}


def test_changing_a_booking_needs_a_key(client, keyed_booking):
    response = change(client, keyed_booking["reference"], "cancel", None)

    assert response.status_code == 401
    assert response.json()["detail"] == gettext(str(KEY_NEEDED))
    assert Booking.objects.get().status == Booking.Status.CONFIRMED


def test_cancelling_twice_is_a_conflict(client, keyed_booking, key):
    assert change(client, keyed_booking["reference"], "cancel", key).status_code == 200

    again = change(client, keyed_booking["reference"], "cancel", key)

    assert again.status_code == 409 and again.json()["detail"]


def test_a_revoked_key_cannot_change_its_bookings(client, keyed_booking, key):
    ApiKey.objects.update(revoked=True)

    assert change(client, keyed_booking["reference"], "cancel", key).status_code == 401
    assert Booking.objects.get().status == Booking.Status.CONFIRMED
