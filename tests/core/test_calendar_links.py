"""Links that add a date to Google Calendar or Outlook.com, or subscribe to a feed: UTC
times whatever the season, and the webcal address for a subscription."""

from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from core import calendar_links

PARIS = ZoneInfo("Europe/Paris")


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
