"""One appointment as a calendar file: the download and the e-mail attachments, read by
icalendar and by Thunderbird's parser (ical.js)."""

from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Site

from booking import services
from booking.calendars import ics
from booking.models import Booking, GroupSession, Place
from booking.notifications import delivery, outbox
from booking.services.tokens import make_token
from tests.booking.flow_support import book, free_slots
from tests.core.calendar_checks import assert_well_formed, parse_with_icaljs

from ..factories import BookingFactory

LONG_DIRECTIONS = (
    "Bus 12 ou 27, arrêt « Hôtel de ville » ; entrée par la cour intérieure, à gauche après "
    "la boulangerie. Sonnez à l'interphone « Passerelle », deuxième étage, ascenseur à "
    "droite. Si la porte est fermée, appelez l'accueil : quelqu'un viendra vous ouvrir."
)


@pytest.fixture
def booking(samia):
    return book(free_slots(samia)[0])


def z(moment):
    """ical.js's ISO form of an instant."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def download(client, booking):
    return client.get(reverse("booking:calendar", args=[make_token(booking)]))


def calendar_part(message):
    """The MIME part carrying the .ics of an e-mail."""
    return next(
        part for part in message.message().walk() if part.get_content_type() == "text/calendar"
    )


def test_the_download_is_a_file_to_save_in_utc_with_everything_a_calendar_shows(
    client, booking, settings
):
    Site.objects.filter(is_default_site=True).update(hostname="rdv.example.org", port=443)
    settings.DEFAULT_FROM_EMAIL = "Passerelle <ne-pas-repondre@rdv.example.org>"

    response = download(client, booking)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rendez-vous.ics"'
    assert b"TZID" not in response.content, "times in UTC need no VTIMEZONE"
    assert_well_formed(response.content)
    parsed = parse_with_icaljs(response.content)
    assert parsed["method"] is None  # a file to save, not an invitation
    [event] = parsed["events"]
    booking.refresh_from_db()
    assert event["uid"] == f"booking-{booking.uuid}@rdv.example.org"
    assert event["sequence"] == 0
    assert (event["start"], event["end"]) == (z(booking.start), z(booking.end))
    assert event["start_zone"] == "UTC"
    assert (
        event["dtstamp"] == event["last_modified"] == z(booking.updated_at.replace(microsecond=0))
    )
    assert "Individuel" in event["summary"] and "Samia" in event["summary"]
    assert event["location"] == "Espace Passerelle"
    assert event["url"].startswith("http://testserver/rendez-vous/gerer/")
    assert event["url"] in event["description"]
    assert event["organizer"] == "mailto:ne-pas-repondre@rdv.example.org"
    assert event["attendees"] == [], "a download names nobody"
    assert (event["status"], event["transp"]) == ("CONFIRMED", "OPAQUE")
    assert b"lea@example.org" not in response.content


def test_the_appointment_file_reminds_two_hours_before_unless_cancelled(client, booking):
    data = download(client, booking).content
    calendar = assert_well_formed(data)
    [alarm] = calendar.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(hours=2)
    [event] = parse_with_icaljs(data)["events"]
    assert event["alarms"] == [
        {"action": "DISPLAY", "trigger": "-PT2H", "description": event["summary"]}
    ]

    services.cancel(booking, by=services.Actor.PERSON)
    booking.refresh_from_db()
    assert b"VALARM" not in download(client, booking).content


def test_the_same_booking_gives_the_same_bytes_however_it_was_loaded(booking):
    """The booking just made holds Paris times; the one read back holds UTC ones."""
    manage_url = "https://rdv.example.org/rendez-vous/gerer/abc/"
    first = ics.booking_calendar(booking, manage_url=manage_url)
    again = ics.booking_calendar(Booking.objects.get(pk=booking.pk), manage_url=manage_url)
    assert first == again


def test_a_move_keeps_the_event_and_raises_its_sequence_a_cancellation_raises_it_again(
    client, booking
):
    before = parse_with_icaljs(download(client, booking).content)["events"][0]
    other = free_slots(booking.counsellor)[1]
    services.move(booking, by=services.Actor.PERSON, start=other.start)
    moved_file = download(client, booking).content
    assert_well_formed(moved_file)
    moved = parse_with_icaljs(moved_file)["events"][0]
    services.cancel(booking, by=services.Actor.PERSON)
    cancelled_file = download(client, booking).content
    assert_well_formed(cancelled_file)
    cancelled = parse_with_icaljs(cancelled_file)["events"][0]

    assert before["uid"] == moved["uid"] == cancelled["uid"]
    assert (before["sequence"], moved["sequence"], cancelled["sequence"]) == (0, 1, 2)
    assert moved["start"] == z(other.start) != before["start"]
    assert (cancelled["status"], cancelled["transp"]) == ("CANCELLED", "TRANSPARENT")


def test_long_french_directions_are_folded_at_75_octets_and_read_back_whole(
    client, booking, structure
):
    Place.objects.filter(pk=structure.pk).update(directions=LONG_DIRECTIONS)
    content = download(client, Booking.objects.get(pk=booking.pk)).content

    assert_well_formed(content)
    assert b"\r\n " in content, "the description is folded"
    assert LONG_DIRECTIONS in parse_with_icaljs(content)["events"][0]["description"]


def test_a_seat_in_a_group_session_is_named_after_its_topic(client, samia, make_session):
    session = make_session(samia, "2026-12-17 14:00")
    GroupSession.objects.filter(pk=session.pk).update(title="Écrire son CV")
    booking = services.book(
        first_name="Léa",
        email="lea@example.org",
        consent=True,
        group_session=session,
        now=session.start - timedelta(days=2),
    )

    content = download(client, booking).content

    assert_well_formed(content)
    [event] = parse_with_icaljs(content)["events"]
    assert event["summary"].startswith("Écrire son CV – ")
    assert "Collectif" in event["summary"]


def test_each_email_carries_the_method_its_change_needs_in_the_file_and_the_mime_part(
    booking, django_capture_on_commit_callbacks
):
    """Booked and moved: REQUEST (adds or updates the event). Cancelled: CANCEL with
    STATUS:CANCELLED (REQUEST would leave it in place). Reminder: nothing changed, so
    the same REQUEST again, same SEQUENCE and DTSTAMP: RFC 5546 clients treat it as a
    duplicate of what they have, and add it if the person never did; PUBLISH in an
    e-mail is shown by Outlook as a second, unlinked event."""
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_pending()  # the confirmation, recorded with the booking
        outbox.notify(booking, delivery.reminder_kind(48))
    other = free_slots(booking.counsellor)[1]
    with django_capture_on_commit_callbacks(execute=True):
        services.move(booking, by=services.Actor.PERSON, start=other.start)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(booking, by=services.Actor.PERSON)

    booked, reminder, moved, cancelled = mail.outbox
    seen = []
    for message in (booked, reminder, moved, cancelled):
        part = calendar_part(message)
        content = part.get_payload(decode=True)
        assert_well_formed(content)
        parsed = parse_with_icaljs(content)
        [event] = parsed["events"]
        assert part.get_param("method") == parsed["method"]
        assert part.get_filename() == "rendez-vous.ics"
        assert event["attendees"] == ["mailto:lea@example.org"]
        assert event["url"] in event["description"]
        seen.append((parsed["method"], event["sequence"], event["status"], event["uid"]))
    assert [entry[:3] for entry in seen] == [
        ("REQUEST", 0, "CONFIRMED"),
        ("REQUEST", 0, "CONFIRMED"),
        ("REQUEST", 1, "CONFIRMED"),
        ("CANCEL", 2, "CANCELLED"),
    ]
    assert len({entry[3] for entry in seen}) == 1, "one event, updated then cancelled"
    assert (
        parse_with_icaljs(calendar_part(booked).get_payload(decode=True))["events"][0]["dtstamp"]
        == parse_with_icaljs(calendar_part(reminder).get_payload(decode=True))["events"][0][
            "dtstamp"
        ]
    )


def test_a_video_meeting_is_located_at_its_link_and_a_call_says_who_calls(samia):
    by_video = Place.objects.create(
        structure=samia.structures.get(), kind=Place.Kind.VIDEO, name="En visio"
    )
    by_phone = Place.objects.create(
        structure=samia.structures.get(), kind=Place.Kind.PHONE, name="Par téléphone"
    )
    samia.video_url = "https://visio.example.org/samia"
    samia.save()
    seen = BookingFactory(counsellor=samia, place=by_video)
    called = BookingFactory(
        counsellor=samia,
        place=by_phone,
        start=seen.start + timedelta(hours=2),
        call_phone="+33612345678",
    )

    (video_event,) = parse_with_icaljs(ics.booking_calendar(seen))["events"]
    (call_event,) = parse_with_icaljs(ics.booking_calendar(called))["events"]

    assert video_event["location"] == "https://visio.example.org/samia"
    assert "https://visio.example.org/samia" in video_event["description"]
    assert call_event["location"] == "Par téléphone"
    assert "Samia t’appellera au numéro que tu as donné." in call_event["description"]
    assert b"612345678" not in ics.booking_calendar(called)
    cancelled = ics.booking_calendar(seen, method=ics.CANCEL)
    assert b"visio.example.org" not in cancelled

    structure = called.structure
    structure.caller_phone = "03 21 00 00 00"
    structure.save()
    (call_event,) = parse_with_icaljs(ics.booking_calendar(called))["events"]
    assert (
        "t’appellera au numéro que tu as donné, depuis le 03 21 00 00 00."
        in (call_event["description"])
    )
