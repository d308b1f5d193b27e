"""A counsellor's own agenda, as Outlook, Google, Apple and Nextcloud export it, becomes
busy times that young people cannot book. The network is replaced by a fake fetcher
here (the real one is tested in test_import_fetch.py)."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from booking.calendars import agenda_import
from booking.calendars.agenda_import import AgendaError, Fetched, busy_intervals, refresh
from booking.models import Booking, ExternalBusyTime, ExternalCalendar
from booking.scheduling.loading import find_slots
from booking.services import SlotUnavailable, book
from structures.models import Structure

from ..factories import paris

FIXTURES = Path(__file__).with_name("fixtures")
SPRING = {"start": datetime(2026, 3, 16, tzinfo=UTC), "end": datetime(2026, 4, 30, tzinfo=UTC)}
AUTUMN = {"start": datetime(2026, 10, 1, tzinfo=UTC), "end": datetime(2026, 11, 30, tzinfo=UTC)}


def fixture(name):
    return (FIXTURES / name).read_bytes()


def in_french(message):
    with translation.override("fr"):
        return str(message)


def utc(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def intervals(*pairs):
    return [(utc(start), utc(end)) for start, end in pairs]


def calendar_file(*events):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tests//EN", *events, "END:VCALENDAR"]
    return "\r\n".join(lines).encode()


def event(uid, *properties):
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260301T000000Z", *properties,
                        "END:VEVENT"])  # fmt: skip


# Reading each client's file -------------------------------------------------------------


def test_outlook_weekly_meeting_with_exception_moved_occurrence_and_all_day_training():
    """Windows time zone "Romance Standard Time" with its own VTIMEZONE; 10:00 Paris is
    09:00 UTC before the last Sunday of March and 08:00 UTC after it. The lunch shown
    as free (TRANSP:TRANSPARENT) and the slot marked free only by Exchange's
    X-MICROSOFT-CDO-BUSYSTATUS are not busy."""
    assert busy_intervals(fixture("outlook.ics"), **SPRING).intervals == intervals(
        ("2026-03-17 09:00", "2026-03-17 10:00"),
        ("2026-03-24 09:00", "2026-03-24 10:00"),
        ("2026-03-25 23:00", "2026-03-26 23:00"),  # all-day training, a Paris day
        ("2026-03-31 08:00", "2026-03-31 09:00"),  # summer time
        # 7 April is an EXDATE; 14 April moved to Thursday 16 at 14:00.
        ("2026-04-16 12:00", "2026-04-16 13:00"),
        ("2026-04-21 08:00", "2026-04-21 09:00"),  # UNTIL includes the last one
    )


def test_google_series_across_the_october_change_with_cancelled_occurrence_and_holiday():
    """UTC times, TZID=Europe/Paris series ending with UNTIL, an EXDATE, one occurrence
    cancelled by an override, a multi-day holiday (DTEND is the day after) and an all-day
    birthday Google marks as free."""
    assert busy_intervals(fixture("google.ics"), **AUTUMN).intervals == intervals(
        ("2026-10-19 12:00", "2026-10-19 14:00"),  # 14:00 summer time
        ("2026-10-20 08:00", "2026-10-20 09:30"),
        ("2026-10-26 13:00", "2026-10-26 15:00"),  # 14:00 winter time
        ("2026-11-02 23:00", "2026-11-06 23:00"),  # holiday from Tuesday 3 to Friday 6
        ("2026-11-16 13:00", "2026-11-16 15:00"),
    )


def test_apple_other_time_zone_floating_time_and_all_day_over_the_spring_change():
    """New York is already on summer time on 24 March (5 hours behind Paris, not 6); a
    floating time is Paris time; the two days including the 23-hour Sunday end at
    midnight Paris summer time."""
    assert busy_intervals(fixture("apple.ics"), **SPRING).intervals == intervals(
        ("2026-03-24 13:00", "2026-03-24 14:00"),
        ("2026-03-25 14:30", "2026-03-25 15:30"),
        ("2026-03-27 23:00", "2026-03-29 22:00"),
    )


def test_nextcloud_duration_count_moved_occurrence_cancelled_and_zero_length_events():
    assert busy_intervals(fixture("nextcloud.ics"), **SPRING).intervals == intervals(
        ("2026-03-16 08:30", "2026-03-16 10:00"),  # DURATION:PT1H30M
        ("2026-03-23 15:00", "2026-03-23 16:00"),  # moved to the afternoon, 1 hour
        ("2026-03-30 07:30", "2026-03-30 09:00"),
        ("2026-04-06 07:30", "2026-04-06 09:00"),  # COUNT=4 stops here
    )


def test_our_own_appointments_coming_back_through_the_feed_are_not_counted_twice():
    # Only the booking made on another site's calendar remains.
    ours = {"passerelle.example.org", "ml-sud.example.org"}
    reading = busy_intervals(fixture("own_feed.ics"), **SPRING, own_domains=ours)
    assert reading.intervals == intervals(
        ("2026-03-26 09:00", "2026-03-26 10:00"),
    )


def test_only_the_window_is_read():
    window = {"start": utc("2026-03-30 00:00"), "end": utc("2026-04-10 00:00")}
    assert busy_intervals(fixture("outlook.ics"), **window).intervals == intervals(
        ("2026-03-31 08:00", "2026-03-31 09:00"),
    )


def test_overlapping_events_become_one_busy_time():
    body = calendar_file(
        event("a", "DTSTART:20260317T090000Z", "DTEND:20260317T100000Z"),
        event("b", "DTSTART:20260317T093000Z", "DTEND:20260317T110000Z"),
        event("c", "DTSTART:20260317T110000Z", "DTEND:20260317T113000Z"),
    )
    assert busy_intervals(body, **SPRING).intervals == intervals(
        ("2026-03-17 09:00", "2026-03-17 11:30")
    )


def test_an_event_in_a_time_zone_nobody_defined_is_read_as_paris_time():
    body = calendar_file(
        event(
            "x",
            "DTSTART;TZID=Customized Time Zone:20260317T100000",
            "DTEND;TZID=Customized Time Zone:20260317T110000",
        )
    )
    assert busy_intervals(body, **SPRING).intervals == intervals(
        ("2026-03-17 09:00", "2026-03-17 10:00")
    )


def test_an_empty_agenda_is_an_agenda():
    assert busy_intervals(calendar_file(), **SPRING).intervals == []


@pytest.mark.parametrize(
    "body",
    [b"", b"<!DOCTYPE html><html><body>Sign in</body></html>", b"BEGIN:VEVENT\r\nEND:VEVENT"],
)
def test_a_login_page_or_anything_else_is_not_an_agenda(body):
    with pytest.raises(AgendaError):
        busy_intervals(body, **SPRING)


def test_an_event_repeating_every_minute_is_left_out():
    body = calendar_file(
        event("spam", "DTSTART:20260317T090000Z", "DURATION:PT1M", "RRULE:FREQ=MINUTELY"),
        event("real", "DTSTART:20260318T090000Z", "DTEND:20260318T100000Z"),
    )
    assert busy_intervals(body, **SPRING).intervals == intervals(
        ("2026-03-18 09:00", "2026-03-18 10:00")
    )


# Storing and keeping busy times ---------------------------------------------------------

NOW = paris("2026-03-16 08:00")


def serving(body, *, etag="", last_modified=""):
    """A fake fetcher answering `body` (None for 304 Not Modified), recording its calls."""

    def fetch(url, *, etag="", last_modified=""):
        fetch.calls.append({"url": url, "etag": etag, "last_modified": last_modified})
        return Fetched(body, response_etag, response_last_modified)

    response_etag, response_last_modified = etag, last_modified
    fetch.calls = []
    return fetch


def failing(message=agenda_import.TIMED_OUT):
    def fetch(url, **conditions):
        raise AgendaError(message)

    return fetch


@pytest.fixture
def agenda(samira):
    return ExternalCalendar.objects.create(
        counsellor=samira, url="https://outlook.office365.com/owa/calendar/abc/secret/calendar.ics"
    )


def stored(calendar):
    return list(calendar.busy_times.values_list("start", "end"))


def test_a_good_read_replaces_the_busy_times_and_keeps_a_copy(agenda):
    ExternalBusyTime.objects.create(
        calendar=agenda, start=utc("2026-03-18 09:00"), end=utc("2026-03-18 10:00")
    )
    fetch = serving(fixture("nextcloud.ics"), etag='"v1"')

    assert refresh(agenda, now=NOW, fetch=fetch) is True

    agenda.refresh_from_db()
    assert (
        stored(agenda)
        == busy_intervals(
            fixture("nextcloud.ics"), start=NOW - timedelta(days=1), end=NOW + timedelta(days=60)
        ).intervals
    )
    assert len(stored(agenda)) == 4
    assert agenda.last_good_copy.startswith("BEGIN:VCALENDAR")
    assert (agenda.last_success_at, agenda.last_attempt_at) == (NOW, NOW)
    assert (agenda.etag, agenda.last_error, agenda.consecutive_failures) == ('"v1"', "", 0)


def test_a_failed_read_keeps_the_busy_times_and_tells_the_counsellor(agenda):
    refresh(agenda, now=NOW, fetch=serving(fixture("nextcloud.ics")))
    before = stored(agenda)
    later = NOW + timedelta(hours=1)

    assert refresh(agenda, now=later, fetch=failing()) is False
    assert refresh(agenda, now=later, fetch=serving(b"<html>Sign in</html>")) is False

    agenda.refresh_from_db()
    assert stored(agenda) == before
    assert agenda.last_good_copy.startswith("BEGIN:VCALENDAR")
    assert agenda.last_success_at == NOW and agenda.last_attempt_at == later
    assert agenda.consecutive_failures == 2
    assert agenda.last_error == in_french(agenda_import.NOT_A_CALENDAR)


def test_a_failure_message_is_in_the_sites_language_and_the_secret_is_not_logged(agenda, caplog):
    refresh(agenda, now=NOW, fetch=failing())

    agenda.refresh_from_db()
    assert agenda.last_error == in_french(agenda_import.TIMED_OUT)
    assert "outlook.office365.com" in caplog.text
    assert "secret" not in caplog.text


def test_an_unexpected_error_is_recorded_not_raised(agenda):
    def broken(url, **conditions):
        raise RuntimeError("bug")

    assert refresh(agenda, now=NOW, fetch=broken) is False
    agenda.refresh_from_db()
    assert agenda.last_error == in_french(agenda_import.UNREADABLE)


def test_an_unchanged_agenda_is_read_again_from_the_copy_as_time_goes_by(agenda):
    refresh(agenda, now=NOW, fetch=serving(fixture("outlook.ics"), etag='"v1"'))
    not_modified = serving(None, etag='"v1"')
    four_weeks_later = NOW + timedelta(weeks=4)

    assert refresh(agenda, now=four_weeks_later, fetch=not_modified) is True

    assert not_modified.calls[0]["etag"] == '"v1"'
    agenda.refresh_from_db()
    assert agenda.last_success_at == four_weeks_later
    # The window moved: March is gone, April's occurrences are still there.
    assert stored(agenda) == intervals(
        ("2026-04-16 12:00", "2026-04-16 13:00"), ("2026-04-21 08:00", "2026-04-21 09:00")
    )


def test_the_first_read_is_not_conditional(agenda):
    agenda.etag = '"stale"'
    agenda.save()
    fetch = serving(fixture("outlook.ics"))
    refresh(agenda, now=NOW, fetch=fetch)
    assert fetch.calls[0]["etag"] == ""


# What young people see ------------------------------------------------------------------


def test_a_busy_tuesday_morning_is_neither_offered_nor_bookable(agenda, samira, individuel):
    """The Outlook team meeting, Tuesday 24 March 10:00–11:00 Paris."""
    refresh(agenda, now=NOW, fetch=serving(fixture("outlook.ics")))
    tuesday = {"start": paris("2026-03-24 00:00"), "end": paris("2026-03-25 00:00")}

    slots = find_slots(Structure.default(), now=NOW, counsellors=[samira], **tuesday)

    assert [slot.start for slot in slots] == [paris("2026-03-24 09:00"), paris("2026-03-24 11:00")]
    with pytest.raises(SlotUnavailable) as refused:
        book(
            first_name="Léa",
            email="lea@example.org",
            consent=True,
            format=individuel,
            start=paris("2026-03-24 10:00"),
            place=samira.places.get(),
            counsellor=samira,
            now=NOW,
        )
    assert refused.value.reason == SlotUnavailable.OUTSIDE_AVAILABILITY
    assert not Booking.objects.exists()


def test_a_failed_later_read_keeps_the_time_busy(agenda, samira):
    refresh(agenda, now=NOW, fetch=serving(fixture("outlook.ics")))
    refresh(agenda, now=NOW + timedelta(hours=1), fetch=failing())

    slots = find_slots(
        Structure.default(),
        now=NOW,
        counsellors=[samira],
        start=paris("2026-03-24 00:00"),
        end=paris("2026-03-25"),
    )
    assert paris("2026-03-24 10:00") not in [slot.start for slot in slots]


def test_an_agenda_is_only_one_counsellors(agenda, make_counsellor):
    refresh(agenda, now=NOW, fetch=serving(fixture("outlook.ics")))
    julien = make_counsellor("julien")

    slots = find_slots(
        Structure.default(),
        now=NOW,
        counsellors=[julien],
        start=paris("2026-03-24 00:00"),
        end=paris("2026-03-25"),
    )
    assert paris("2026-03-24 10:00") in [slot.start for slot in slots]


# The periodic command -------------------------------------------------------------------


def test_the_command_reads_every_agenda_even_when_one_fails(agenda, make_counsellor, monkeypatch):
    julien = make_counsellor("julien")
    ExternalCalendar.objects.create(counsellor=julien, url="https://broken.example.org/x.ics")

    def fetch(url, **conditions):
        if "broken" in url:
            raise AgendaError(agenda_import.UNREACHABLE)
        return Fetched(fixture("outlook.ics"))

    monkeypatch.setattr(agenda_import, "fetch_calendar", fetch)
    out = StringIO()
    call_command("sync_external_calendars", stdout=out)

    assert out.getvalue().strip() == "1 agendas read, 1 failed."
    agenda.refresh_from_db()
    assert agenda.last_success_at is not None and agenda.consecutive_failures == 0
    assert ExternalCalendar.objects.get(counsellor=julien).consecutive_failures == 1


def test_the_command_leaves_the_agendas_of_inactive_counsellors(agenda, samira, monkeypatch):
    samira.active = False
    samira.save()
    monkeypatch.setattr(agenda_import, "fetch_calendar", serving(fixture("outlook.ics")))
    out = StringIO()

    call_command("sync_external_calendars", stdout=out)

    assert out.getvalue().strip() == "0 agendas read, 0 failed."
    assert agenda_import.fetch_calendar.calls == []


def test_the_command_can_read_one_counsellors_agenda(agenda, make_counsellor, monkeypatch):
    julien = make_counsellor("julien")
    ExternalCalendar.objects.create(counsellor=julien, url="https://other.example.org/x.ics")
    monkeypatch.setattr(agenda_import, "fetch_calendar", serving(fixture("outlook.ics")))
    out = StringIO()

    call_command("sync_external_calendars", "--counsellor", "samira", stdout=out)

    assert out.getvalue().strip() == "1 agendas read, 0 failed."
    assert agenda_import.fetch_calendar.calls[0]["url"] == agenda.url
    assert len(agenda_import.fetch_calendar.calls) == 1


def test_the_window_reaches_the_longest_horizon_but_no_further(individuel, collectif):
    collectif.horizon_days = 90
    collectif.save()
    assert agenda_import.import_window(NOW) == (NOW - timedelta(days=1), NOW + timedelta(90))
    collectif.horizon_days = 3000
    collectif.save()
    assert agenda_import.import_window(NOW)[1] == NOW + timedelta(days=400)


ALL_DAY = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//Agenda//FR\r
BEGIN:VEVENT\r
UID:formation@example.org\r
DTSTAMP:20260301T000000Z\r
DTSTART;VALUE=DATE:20260318\r
DTEND;VALUE=DATE:20260319\r
SUMMARY:Formation\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_whole_day_is_the_day_of_the_counsellors_structure(samira, other_structure):
    """In La Réunion, 18 March is 17 March 20:00 to 18 March 20:00 in UTC, not Paris's
    day: the agenda of a counsellor of Sud is read on Sud's clock."""
    samira.structures.set([other_structure])
    agenda = ExternalCalendar.objects.create(counsellor=samira, url="https://example.org/x.ics")

    assert refresh(agenda, now=NOW, fetch=serving(ALL_DAY)) is True

    assert stored(agenda) == [(utc("2026-03-17 20:00"), utc("2026-03-18 20:00"))]
