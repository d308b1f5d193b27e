""" "Add to my calendar" on an appointment's confirmation and manage pages: the .ics file,
Google Calendar and Outlook.com, with UTC times, and nothing personal or secret in the
addresses."""

import re
from datetime import UTC

import pytest
from django.urls import resolve, reverse

from booking.services.tokens import make_token, read_token
from tests.core.support import links

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("view", ["confirmation", "manage"])
def test_an_appointment_goes_to_google_or_outlook_without_personal_data(client, booking, view):
    token = make_token(booking)

    response = client.get(reverse(f"booking:{view}", args=[token]))

    # The page signs a fresh link, so the file's address is compared by what it opens.
    (calendar_path,) = re.findall(r'href="([^"]+/rendez-vous\.ics)"', response.content.decode())
    match = resolve(calendar_path)
    assert match.view_name == "booking:calendar"
    assert read_token(match.kwargs["token"], booking.structure).booking == booking
    (google,) = links(response, "calendar.google.com")
    (outlook,) = links(response, "outlook.live.com")
    start, end = booking.start.astimezone(UTC), booking.end.astimezone(UTC)
    assert google["dates"] == [f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"]
    assert outlook["startdt"] == [f"{start:%Y-%m-%dT%H:%M:%SZ}"]
    assert "Samira" in google["text"][0] and "Individuel" in google["text"][0]
    assert google["location"] == ["Espace Passerelle"]
    for query in (google, outlook):
        values = " ".join(value for values in query.values() for value in values)
        assert "Léa" not in values
        assert "lea@example.org" not in values
        assert token not in values and "/gerer/" not in values
