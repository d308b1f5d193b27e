"""What the runtime tests do as a visitor would."""

import json
from datetime import time, timedelta

from django.utils import timezone

from booking.models import Place
from tests.booking.factories import paris


def book_through_api(client):
    """Léa books Samira's 10:00 on a Monday about two weeks ahead, through the API."""
    today = timezone.localdate()
    day = today + timedelta(days=14 - today.weekday())
    payload = {
        "counsellor": "samira",
        "format": "test-individuel",
        "start": paris(f"{day} {time(10)}").isoformat(),
        "place": Place.objects.get(name="Espace Passerelle").pk,
        "first_name": "Léa",
        "email": "lea@example.org",
        "consent": True,
    }
    return client.post("/api/v1/bookings", json.dumps(payload), content_type="application/json")
