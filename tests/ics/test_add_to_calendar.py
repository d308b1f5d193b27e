""" "Add to my calendar" wherever the public sees a date: the .ics file, Google Calendar and
Outlook.com, with UTC times, and nothing personal or secret in the addresses."""

import html
import re
from datetime import UTC, datetime, time
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import recurrence
from django.urls import reverse
from django.utils import timezone

from booking.services.tokens import make_token
from core import calendar_links
from tests.booking.flow_support import book, empty_cache, free_slots  # noqa: F401
from tests.events.factories import EventOccurrenceFactory, EventPageFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def links(response, host):
    """The query strings of the links to ``host`` in the page."""
    hrefs = re.findall(r'href="([^"]+)"', response.content.decode())
    return [
        parse_qs(urlsplit(html.unescape(href)).query)
        for href in hrefs
        if urlsplit(html.unescape(href)).hostname == host
    ]


def test_google_and_outlook_get_utc_times_whatever_the_season():
    start = datetime(2027, 7, 7, 14, tzinfo=PARIS)
    end = datetime(2027, 7, 7, 17, tzinfo=PARIS)

    google = parse_qs(urlsplit(calendar_links.google_event("Portes ouvertes", start, end)).query)
    outlook = parse_qs(urlsplit(calendar_links.outlook_event("Portes ouvertes", start, end)).query)

    assert google == {
        "action": ["TEMPLATE"],
        "text": ["Portes ouvertes"],
        "dates": ["20270707T120000Z/20270707T150000Z"],
    }
    assert outlook["startdt"] == ["2027-07-07T12:00:00Z"]
    assert outlook["enddt"] == ["2027-07-07T15:00:00Z"]
    assert outlook["subject"] == ["Portes ouvertes"]


def test_google_subscribes_with_the_webcal_address():
    url = calendar_links.subscription_links("https://example.org/evenements/ical/").google

    assert url == (
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fexample.org%2Fevenements%2Fical%2F"
    )


def test_each_date_of_an_event_page_can_be_added_to_a_calendar(client, index):
    page = EventPageFactory(
        parent=index,
        title="Portes ouvertes",
        recurrence=recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=WE"),
        recurrence_from=timezone.localdate(),
        recurrence_start_time=time(14),
        recurrence_end_time=time(17),
    )

    response = client.get(page.url)

    shown = response.context["upcoming_occurrences"]
    google = links(response, "calendar.google.com")
    outlook = links(response, "outlook.live.com")
    assert [query["dates"][0] for query in google] == [
        f"{o.start.astimezone(UTC):%Y%m%dT%H%M%SZ}/{o.end.astimezone(UTC):%Y%m%dT%H%M%SZ}"
        for o in shown
    ]
    assert len(outlook) == len(shown)
    assert google[0]["location"] == ["Espace Passerelle, 14 rue des Terrils, 62300 Lens"]
    assert page.get_full_url() in google[0]["details"][0]
    content = response.content.decode()
    assert f'href="{page.url}ical/"' in content
    assert f'<span class="visually-hidden">: {page.title}, ' in content
    assert client.get(page.url + "ical/").status_code == 200


def test_event_cards_on_the_home_page_link_to_each_event_file(client, home, index):
    events = [EventOccurrenceFactory(page__parent=index).page for _ in range(3)]

    content = client.get(home.url).content.decode()

    for event in events:
        link = (
            f'<a href="{event.url}ical/">[^<]+<span class="visually-hidden">: {event.title}</span>'
        )
        assert re.search(link, content)


@pytest.fixture
def booking(make_counsellor):
    return book(free_slots(make_counsellor("samira"))[0], first_name="Léa")


@pytest.mark.parametrize("view", ["confirmation", "manage"])
def test_an_appointment_goes_to_google_or_outlook_without_personal_data(client, booking, view):
    token = make_token(booking)

    response = client.get(reverse(f"booking:{view}", args=[token]))

    content = response.content.decode()
    assert f'href="{reverse("booking:calendar", args=[token])}"' in content
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
