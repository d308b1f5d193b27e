"""The seats left in the events' calendar files (booking.calendars.seat_notes): a
repeated event written as one calendar rule says where each date's seats are, and the
feed's version changes when a waiting list closes with nobody registering."""

from datetime import time, timedelta

import pytest
import recurrence
import recurring_ical_events
from django.utils import timezone

from events.models import EventIndexPage
from tests.booking.registrations_support import open_event, register
from tests.core.calendar_checks import assert_well_formed, parse_with_icaljs
from tests.events.factories import EventIndexPageFactory, EventPageFactory

pytestmark = pytest.mark.django_db
SERIES_NOTE = "Sur inscription\u00a0: les places restantes de chaque date sont sur la page"


def feed_url():
    return EventIndexPage.objects.get().url + "ical/"


def weekly(index, title, rule, **fields):
    """An event every week from today, 14:00 to 17:00, as one RRULE."""
    return EventPageFactory(
        parent=index,
        title=title,
        recurrence=recurrence.deserialize(f"RRULE:FREQ=WEEKLY;BYDAY={rule}"),
        recurrence_from=timezone.localdate(),
        recurrence_start_time=time(14),
        recurrence_end_time=time(17),
        **fields,
    )


def test_a_rule_s_calendar_entry_says_where_each_date_s_seats_are(client, home):
    index = EventIndexPageFactory(parent=home)
    rule = weekly(index, "Portes ouvertes", "WE", registrations_open=True, onsite_capacity=10)
    closed = weekly(index, "Forum", "TH")

    data = client.get(feed_url()).content
    calendar = assert_well_formed(data)
    until = timezone.now() + timedelta(days=30)
    dump = parse_with_icaljs(data, expand_until=until)

    [series] = [event for event in dump["events"] if event["summary"] == rule.title]
    assert len(series["occurrences"]) >= 4
    assert SERIES_NOTE in series["description"]
    shown = recurring_ical_events.of(calendar).between(timezone.now(), until)
    descriptions = {str(event["SUMMARY"]): str(event["DESCRIPTION"]) for event in shown}
    assert SERIES_NOTE in descriptions[rule.title]
    assert "places" not in descriptions[closed.title].lower()


def test_the_feed_changes_when_the_waiting_list_closes_with_nobody_registering(
    fragments_cached, home, clock
):
    event = open_event(home, days=4 / 24, onsite=1, offer_cutoff_hours=3)
    register(event, "Lea")
    first = fragments_cached.get(feed_url())
    assert "Complet — liste d’attente" in first.content.decode()
    kept = fragments_cached.get(feed_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert kept.status_code == 304

    clock.now += timedelta(hours=1, minutes=1)  # past the cut-off, 3 hours before
    again = fragments_cached.get(feed_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    [date] = parse_with_icaljs(again.content)["events"]
    assert "Complet" in date["description"] and "liste d’attente" not in date["description"]
