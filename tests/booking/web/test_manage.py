"""The signed link to see, move or cancel a booking without an account."""

from datetime import UTC, timedelta

import icalendar
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import Site

from booking import services
from booking.models import Booking
from booking.scheduling.listing import slot_key
from booking.services.tokens import SALT, make_token
from tests.core.calendar_checks import parse_with_icaljs

from ..flow_support import (
    assert_shows,
    book,
    flow_url,
    free_slots,
    text,
)


def url(name, booking, token=None):
    return reverse(f"booking:{name}", args=[token or make_token(booking)])


def snapshot(booking):
    booking.refresh_from_db()
    return (booking.status, booking.sequence, booking.start, booking.updated_at)


def slot_offered(client, booking):
    response = client.get(
        flow_url(
            conseiller=booking.counsellor.slug,
            format=booking.format.slug,
            lieu=booking.place.pk,
            semaine=timezone.localdate(booking.start).isoformat(),
        )
    )
    return f'value="{slot_key(booking)}"' in text(response)


def test_opening_the_links_changes_nothing(client, booking):
    before = snapshot(booking)
    for name in ("manage", "cancel", "move", "calendar", "confirmation"):
        response = client.get(url(name, booking))
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"
        assert "noindex" in response["X-Robots-Tag"]
    assert snapshot(booking) == before
    page = client.get(url("manage", booking))
    assert booking.counsellor.first_name in text(page)
    assert "/annuler/" in text(page) and "/deplacer/" in text(page)


def test_cancelling_frees_the_slot_at_once(client, booking):
    assert not slot_offered(client, booking)
    page = client.get(url("cancel", booking))
    response = client.post(url("cancel", booking), {"revision": booking.sequence}, follow=True)
    assert response.redirect_chain[0][1] == 303
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_PERSON
    assert_shows(
        response, gettext("Your appointment is cancelled. The time is free again for someone else.")
    )
    assert_shows(response, gettext("This appointment is cancelled."))
    assert slot_offered(client, booking)
    assert page.status_code == 200


def test_moving_keeps_the_reference_and_raises_the_revision(client, booking):
    old_start, uuid = booking.start, booking.uuid
    page = client.get(url("move", booking))
    other = next(
        slot
        for slot in free_slots(booking.counsellor)
        if slot.start != old_start and f'value="{slot_key(slot)}"' in text(page)
    )
    response = client.post(
        url("move", booking), {"revision": 0, "creneau": slot_key(other)}, follow=True
    )
    assert response.status_code == 200
    booking.refresh_from_db()
    assert (booking.uuid, booking.sequence, booking.start) == (uuid, 1, other.start)
    assert_shows(response, gettext("Your appointment has moved. Here is the new time."))
    assert Booking.objects.count() == 1


def test_move_to_a_taken_time_is_refused_in_plain_words(client, booking, samira):
    taken = free_slots(samira)[1]
    book(taken, email="other@example.org")
    response = client.post(url("move", booking), {"revision": 0, "creneau": slot_key(taken)})
    assert response.status_code == 400
    assert_shows(response, services.SlotTaken.default_message)
    assert snapshot(booking)[1] == 0

    response = client.post(url("move", booking), {"revision": 0, "creneau": "nonsense"})
    assert response.status_code == 400


def test_acting_from_an_outdated_page_is_refused(client, booking, samira):
    old_token = make_token(booking)
    services.move(booking, by=services.Actor.STAFF, start=free_slots(samira)[2].start)
    before = snapshot(booking)

    page = client.get(url("manage", booking, old_token))
    assert page.status_code == 200, "an older link still shows the booking as it is now"
    assert_shows(
        page,
        gettext("This appointment has changed since this link was sent. Here it is as it is now."),
    )

    response = client.post(url("cancel", booking, old_token), {"revision": 0})
    assert response.status_code == 400
    assert_shows(
        response,
        gettext("This appointment changed since you opened this page. Please check it again."),
    )
    assert snapshot(booking) == before

    response = client.post(url("cancel", booking, old_token), {"revision": 1})
    assert response.status_code == 303


def test_staff_cancellation_shows_their_message(client, booking):
    services.cancel(booking, by=services.Actor.STAFF, message="Samira est absente ce jour-là.")
    response = client.get(url("manage", booking))
    assert "Samira est absente ce jour-là." in text(response).replace("&#x27;", "'")
    assert "/annuler/" not in text(response)


def test_tampered_and_expired_links(client, booking, settings):
    token = make_token(booking)
    for bad in (token[:-3] + "abc", "nonsense", signing.dumps({"b": "x", "s": 0}, salt=SALT)):
        response = client.get(url("manage", booking, bad))
        assert response.status_code == 404
        assert_shows(response, gettext("This link does not work"))
        assert client.post(url("cancel", booking, bad)).status_code == 404

    settings.BOOKING_MANAGE_LINK_MAX_AGE = timedelta(seconds=-1)
    response = client.get(url("manage", booking, token))
    assert response.status_code == 410
    assert_shows(response, gettext("This link has expired"))


def test_links_stop_the_day_after_the_appointment(client, booking):
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() - timedelta(days=2, hours=1),
        end=timezone.now() - timedelta(days=2),
        busy_until=timezone.now() - timedelta(days=2),
    )
    assert client.get(url("manage", booking)).status_code == 410


def test_a_started_appointment_cannot_be_cancelled(client, booking):
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() - timedelta(minutes=5),
        end=timezone.now() + timedelta(minutes=40),
        busy_until=timezone.now() + timedelta(minutes=55),
    )
    page = client.get(url("manage", booking))
    assert "/annuler/" not in text(page)
    response = client.post(url("cancel", booking), {"revision": 0})
    assert response.status_code == 400
    assert_shows(response, services.InvalidTransition.STARTED)
    assert snapshot(booking)[0] == Booking.Status.CONFIRMED


def test_calendar_download(client, booking, settings):
    Site.objects.filter(is_default_site=True).update(hostname="rdv.example.org", port=443)
    response = client.get(url("calendar", booking))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert b"\r\n" in response.content
    calendar = icalendar.Calendar.from_ical(response.content)
    assert "METHOD" not in calendar  # a file to save, not an invitation
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == f"booking-{booking.uuid}@rdv.example.org"
    assert event["SEQUENCE"] == booking.sequence
    assert event.decoded("DTSTAMP") == booking.updated_at.replace(microsecond=0)
    assert event.decoded("DTSTART") == booking.start
    assert b"DTSTART:" in response.content and b"Z\r\n" in response.content
    assert b"lea@example.org" not in response.content
    assert not any(component.errors for component in calendar.walk())

    # Thunderbird's parser reads the same event, at the same instant.
    parsed = parse_with_icaljs(response.content)
    [read] = parsed["events"]
    assert (parsed["method"], read["uid"], read["sequence"], read["start"]) == (
        None,
        f"booking-{booking.uuid}@rdv.example.org",
        booking.sequence,
        booking.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    )


def test_manage_posts_are_rate_limited(client, booking, settings):
    settings.BOOKING_RATE_LIMIT = (2, 3600)
    for _attempt in range(2):
        client.post(url("move", booking), {"revision": 0, "creneau": ""})
    assert client.post(url("cancel", booking), {"revision": 0}).status_code == 429
    assert snapshot(booking)[0] == Booking.Status.CONFIRMED
