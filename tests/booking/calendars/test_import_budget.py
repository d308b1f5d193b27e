"""An agenda file is written by anyone: a few hundred bytes can ask for millions of
occurrences, and agenda apps write events our reader does not understand. Reading one
is bounded, and one bad event is left out, counted, without losing the others."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from booking.calendars import agenda_import
from booking.calendars.agenda_import import Fetched, busy_intervals, refresh
from booking.models import ExternalCalendar

from ..factories import paris
from .test_import import calendar_file, event

SPRING = {"start": datetime(2026, 3, 16, tzinfo=UTC), "end": datetime(2026, 4, 30, tzinfo=UTC)}
NOW = paris("2026-03-16 08:00")
EVERY = ",".join(str(number) for number in range(60))
# The 602-byte rule that ran for 150 s and 3.8 GB before: 86,400 occurrences a day.
EVERY_SECOND = (
    f"RRULE:FREQ=DAILY;BYHOUR={','.join(map(str, range(24)))};BYMINUTE={EVERY};BYSECOND={EVERY}"
)
REAL = ["DTSTART:20260318T090000Z", "DTEND:20260318T100000Z"]


def utc(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def in_french(message, **values):
    with translation.override("fr"):
        return str(message) % values if values else str(message)


@pytest.fixture
def agenda(samira):
    return ExternalCalendar.objects.create(
        counsellor=samira, url="https://cloud.example.org/remote.php/dav/secret.ics"
    )


def read(calendar, body, now=NOW):
    result = refresh(calendar, now=now, fetch=lambda url, **conditions: Fetched(body))
    calendar.refresh_from_db()
    return result


# Hostile or huge agendas ----------------------------------------------------------------


def test_an_event_repeating_every_second_is_left_out_and_the_rest_is_read():
    body = calendar_file(
        event("hostile", "DTSTART:20260317T000000Z", "DURATION:PT1S", EVERY_SECOND),
        event("real", *REAL),
    )

    reading = busy_intervals(body, start=utc("2026-03-17 00:00"), end=utc("2026-03-19 00:00"))

    assert reading.intervals == [(utc("2026-03-18 09:00"), utc("2026-03-18 10:00"))]
    assert reading.skipped == 1


def test_an_event_repeating_beyond_its_ceiling_is_left_out(settings):
    """Hourly, half an hour each, with no end: over a thousand occurrences in spring."""
    settings.BOOKING_EXTERNAL_CALENDAR_MAX_OCCURRENCES_PER_EVENT = 500
    body = calendar_file(
        event("hourly", "DTSTART:20260316T000000Z", "DURATION:PT30M", "RRULE:FREQ=HOURLY"),
        event("real", *REAL),
    )

    reading = busy_intervals(body, **SPRING)

    assert reading.intervals == [(utc("2026-03-18 09:00"), utc("2026-03-18 10:00"))]
    assert reading.skipped == 1


def test_an_agenda_beyond_its_ceiling_keeps_its_last_good_busy_times(agenda, settings):
    settings.BOOKING_EXTERNAL_CALENDAR_MAX_OCCURRENCES = 100
    assert read(agenda, calendar_file(event("real", *REAL))) is True
    daily = [
        event(uid, f"DTSTART:20260316T{hour}0000Z", "DURATION:PT30M", "RRULE:FREQ=DAILY")
        for uid, hour in [("a", "08"), ("b", "10"), ("c", "14")]
    ]

    assert read(agenda, calendar_file(*daily), now=NOW + timedelta(hours=1)) is False

    assert list(agenda.busy_times.values_list("start", "end")) == [
        (utc("2026-03-18 09:00"), utc("2026-03-18 10:00"))
    ]
    assert "UID:real" in agenda.last_good_copy
    assert agenda.last_error == in_french(agenda_import.TOO_MANY, count=100)
    assert "100" in agenda.last_error


def test_an_agenda_taking_longer_than_its_budget_keeps_its_last_good_busy_times(agenda, settings):
    """The rule from 1990: a billion occurrences before the window even starts, which
    the expansion used to list in memory before returning any."""
    settings.BOOKING_EXTERNAL_CALENDAR_EXPANSION_SECONDS = 0.5
    assert read(agenda, calendar_file(event("real", *REAL))) is True
    hostile = event("hostile", "DTSTART:19900101T000000Z", "DURATION:PT1S", EVERY_SECOND)

    assert read(agenda, calendar_file(hostile), now=NOW + timedelta(hours=1)) is False

    assert agenda.busy_times.count() == 1
    assert "UID:real" in agenda.last_good_copy
    assert agenda.last_error == in_french(agenda_import.TOO_LONG, seconds=0.5)
    assert agenda.consecutive_failures == 1


# One bad event among good ones ----------------------------------------------------------

BAD_EVENTS = {
    "no start": ["DTEND:20260317T100000Z"],
    "an unreadable start": ["DTSTART:tomorrow", "DTEND:20260317T100000Z"],
    "two starts": ["DTSTART:20260317T090000Z", "DTSTART:20260317T093000Z", "DURATION:PT1H"],
    "an unreadable rule": ["DTSTART:20260317T090000Z", "DURATION:PT1H", "RRULE:FREQ=SOMETIMES"],
    "a time as date": ["DTSTART:20260317T090000Z", "DURATION:PT1H", "RDATE;VALUE=TIME:100000"],
}  # fmt: skip


@pytest.mark.parametrize("properties", BAD_EVENTS.values(), ids=BAD_EVENTS.keys())
def test_one_bad_event_is_left_out_and_counted(agenda, properties):
    body = calendar_file(event("bad", *properties), event("real", *REAL))

    assert read(agenda, body) is True

    assert list(agenda.busy_times.values_list("start", "end")) == [
        (utc("2026-03-18 09:00"), utc("2026-03-18 10:00"))
    ]
    assert agenda.skipped_events == 1
    assert agenda.last_error == ""


def test_the_count_of_events_left_out_is_that_of_the_last_read(agenda):
    bad = [event(f"bad-{number}", *BAD_EVENTS["no start"]) for number in range(3)]
    read(agenda, calendar_file(*bad, event("real", *REAL)))
    assert agenda.skipped_events == 3

    read(agenda, calendar_file(event("real", *REAL)))
    assert agenda.skipped_events == 0
