"""Helpers of the API tests: the API's address, a booking request and how to send it."""

import json

from booking.models import Place

from ..factories import paris

API = "/api/v1"


def at(day, clock):
    return paris(f"{day} {clock}")


def post(client, payload, **extra):
    return client.post(
        f"{API}/bookings", json.dumps(payload), content_type="application/json", **extra
    )


def booking_payload(day, **overrides):
    return {
        "counsellor": "samira",
        "format": "test-individuel",
        "start": at(day, "10:00").isoformat(),
        "place": Place.objects.get(name="Espace Passerelle").pk,
        "first_name": "Léa",
        "email": "lea@example.org",
        "consent": True,
        **overrides,
    }
