"""A counsellor's calendar feed: what it holds, what it never says, and how it is served."""

import hashlib
import logging
from datetime import UTC, datetime, time, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.text import slugify
from wagtail.models import Site

from booking import services
from booking.calendars import feed, ics
from booking.models import Booking, GroupSession, Place
from booking.scheduling.holidays import public_holidays
from booking.services.privacy import erase_person
from structures.models import Structure
from tests.core.calendar_checks import assert_well_formed, parse_with_icaljs

from ..factories import (
    HOME_ADDRESS,
    BookingFactory,
    PlaceFactory,
    YoungPersonFactory,
    paris,
    set_seats_booked,
)

NOW = paris("2026-12-01 08:00")


def feed_events(counsellor, now=NOW):
    content = feed.counsellor_calendar(counsellor, Structure.default(), now)
    assert_well_formed(content)
    parsed = parse_with_icaljs(content)
    return content, parsed, {event["uid"]: event for event in parsed["events"]}


def z(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


# What the feed holds ------------------------------------------------------------------


def test_the_feed_names_itself_and_asks_to_be_refreshed_hourly(samia, settings):
    settings.WAGTAIL_SITE_NAME = "Passerelle"
    BookingFactory(counsellor=samia, start=paris("2026-12-02 10:00"))

    content, parsed, _events = feed_events(samia)

    assert parsed["method"] is None  # a feed, not an invitation
    assert parsed["calname"] == parsed["name"]
    assert "Passerelle" in parsed["calname"] and "Samia" in parsed["calname"]
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in content
    assert (parsed["refresh_interval"], parsed["refresh_interval_type"]) == ("PT1H", "duration")
    assert parsed["published_ttl"] == "PT1H"


def test_the_feed_holds_the_last_30_days_and_what_is_ahead(samia):
    recent = BookingFactory(
        counsellor=samia, start=paris("2026-11-02 10:00"), young_person__first_name="Anaïs"
    )
    too_old = BookingFactory(
        counsellor=samia, start=paris("2026-10-30 10:00"), young_person__first_name="Bilal"
    )
    ahead = BookingFactory(
        counsellor=samia, start=paris("2027-01-05 10:00"), young_person__first_name="Chloé"
    )

    _content, _parsed, events = feed_events(samia)

    assert set(events) == {ics.event_uid(recent), ics.event_uid(ahead)}
    assert ics.event_uid(too_old) not in events
    event = events[ics.event_uid(ahead)]
    assert (event["start"], event["end"]) == (z(ahead.start), z(ahead.end))
    assert (event["status"], event["transp"]) == ("CONFIRMED", "OPAQUE")


def test_a_cancelled_booking_stays_30_days_struck_through_with_a_higher_sequence(samia):
    booking = BookingFactory(counsellor=samia, start=paris("2027-01-05 10:00"))
    live = feed_events(samia)[2][ics.event_uid(booking)]

    services.cancel(booking, by=services.Actor.STAFF, now=NOW)
    cancelled = feed_events(samia)[2][ics.event_uid(booking)]

    assert cancelled["sequence"] == live["sequence"] + 1
    assert (cancelled["status"], cancelled["transp"]) == ("CANCELLED", "TRANSPARENT")
    Booking.objects.filter(pk=booking.pk).update(updated_at=NOW - timedelta(days=31))
    assert ics.event_uid(booking) not in feed_events(samia)[2], "dropped after 30 days"


def test_a_group_session_is_one_event_with_its_seats_and_its_bookings_are_not_repeated(
    samia, make_session
):
    session = make_session(samia, "2026-12-03 14:00", capacity=8)
    GroupSession.objects.filter(pk=session.pk).update(title="Écrire son CV")
    set_seats_booked(session, 3)
    seats = [
        BookingFactory(group_session=session, young_person__first_name=name)
        for name in ("Anaïs", "Bilal", "Chloé")
    ]
    empty = make_session(samia, "2026-12-04 14:00")

    _content, parsed, events = feed_events(samia)

    assert list(events) == [ics.group_session_uid(session)]
    event = events[ics.group_session_uid(session)]
    assert "3/8" in event["summary"] and "Écrire son CV" in event["summary"]
    assert (event["start"], event["end"]) == (z(session.start), z(session.end))
    assert not any(ics.event_uid(seat) in events for seat in seats)
    assert ics.group_session_uid(empty) not in events
    assert (
        reverse("wagtailsnippets_booking_groupsession:edit", args=[session.pk])
        in (event["description"])
    )


def test_the_feed_says_only_format_initial_and_reference_with_a_link_to_the_admin(samia):
    Site.objects.filter(is_default_site=True).update(hostname="admin.example.org", port=443)
    private = "Je voudrais parler de ma situation familiale."
    booking = BookingFactory(
        counsellor=samia,
        start=paris("2026-12-02 10:00"),
        young_person__first_name="Léa",
        message=private,
    )
    by_phone = BookingFactory(
        counsellor=samia,
        start=paris("2026-12-02 11:00"),
        young_person__first_name="Noé",
        young_person__phone="+33612345678",
        message=private,
    )

    content, _parsed, events = feed_events(samia)

    event = events[ics.event_uid(booking)]
    reference = str(booking.uuid)[:8]
    assert event["summary"].startswith("Individuel – L. – ")
    assert event["summary"].endswith(reference)
    admin_link = "https://admin.example.org" + reverse(
        "wagtailsnippets_booking_booking:inspect", args=[booking.pk]
    )
    assert event["url"] == admin_link
    assert event["description"] == f"Espace Passerelle\n\n{admin_link}"
    assert events[ics.event_uid(by_phone)]["summary"].startswith("Individuel – N. – ")
    for private in (b"L\xc3\xa9a", b"No\xc3\xa9", b"lea@example.org", b"612345678", b"familiale"):
        assert private not in content
    assert b"ATTENDEE" not in content and b"ORGANIZER" not in content


def test_a_home_visit_and_a_video_meeting_keep_their_address_and_link_out_of_the_feed(samia):
    """Google or Microsoft store the feed: the counsellor reads these in the admin."""
    at_home = PlaceFactory(kind=Place.Kind.HOME, name="Domicile")
    by_video = PlaceFactory(kind=Place.Kind.VIDEO, name="En visio")
    samia.video_url = "https://visio.example.org/samia"
    samia.save()
    BookingFactory(
        counsellor=samia,
        place=at_home,
        start=paris("2026-12-02 10:00"),
        call_phone="+33612345678",
        **HOME_ADDRESS,
    )
    BookingFactory(
        counsellor=samia, place=by_video, start=paris("2026-12-02 11:00"), video_room="abc123"
    )

    content, _parsed, events = feed_events(samia)

    assert {event["location"] for event in events.values()} == {"Domicile", "En visio"}
    for private in ("rue des", "62300", "Bâtiment", "612345678", "visio.example.org", "abc123"):
        assert private.encode() not in content


def test_an_erased_person_leaves_a_booking_without_initial(samia):
    booking = BookingFactory(counsellor=samia, start=paris("2026-12-02 10:00"))
    Booking.objects.filter(pk=booking.pk).update(young_person=None)

    summary = feed_events(samia)[2][ics.event_uid(booking)]["summary"]

    assert summary.startswith("Individuel – ") and summary.endswith(str(booking.uuid)[:8])


def test_the_same_data_gives_the_same_bytes(samia, make_session):
    BookingFactory(counsellor=samia, start=paris("2026-12-02 10:00"))
    session = make_session(samia, "2026-12-03 14:00")
    BookingFactory(group_session=session, young_person__first_name="Noé")
    set_seats_booked(session, 1)

    first = feed.counsellor_calendar(samia, Structure.default(), NOW)

    assert feed.counsellor_calendar(samia, Structure.default(), NOW + timedelta(hours=2)) == first


def test_feed_generation_takes_as_many_queries_for_1000_bookings_as_for_3(
    samia, make_session, django_assert_max_num_queries
):
    fmt, place = samia.formats.get(), samia.places.get()
    person = YoungPersonFactory(first_name="Léa", email="lea@example.org")

    def add_bookings(first, count):
        Booking.objects.bulk_create(
            BookingFactory.build(
                counsellor=samia,
                format=fmt,
                place=place,
                young_person=person,
                start=NOW + timedelta(hours=index + 1),
            )
            for index in range(first, first + count)
        )

    session = make_session(samia, "2026-12-01 08:00")
    set_seats_booked(session, 1)
    add_bookings(0, 3)
    with CaptureQueriesContext(connection) as few:
        small = feed.counsellor_calendar(samia, Structure.default(), NOW)
    add_bookings(3, 997)

    with django_assert_max_num_queries(len(few)):
        large = feed.counsellor_calendar(samia, Structure.default(), NOW)

    assert small.count(b"BEGIN:VEVENT") == 4
    assert large.count(b"BEGIN:VEVENT") == 1001


# How it is served ------------------------------------------------------------------


def feed_url(token):
    return reverse("booking:counsellor_feed", args=[token])


def test_only_a_fingerprint_of_the_token_is_stored(samia):
    token = feed.issue_token(samia)

    samia.refresh_from_db()
    assert len(token) >= 43
    assert samia.calendar_feed_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert samia.calendar_feed_created_at is not None
    assert feed.counsellor_for_token(token, Structure.default()) == samia
    assert feed.counsellor_for_token("", Structure.default()) is None


def test_the_links_are_https_webcal_and_google_with_the_webcal_address(samia, settings):
    Site.objects.filter(is_default_site=True).update(hostname="rdv.example.org", port=443)
    token = feed.issue_token(samia)

    links = feed.feed_links(token, Structure.default())

    assert links.https == f"https://rdv.example.org/rendez-vous/agenda/{token}.ics"
    assert links.webcal == f"webcal://rdv.example.org/rendez-vous/agenda/{token}.ics"
    assert links.google == (
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Frdv.example.org"
        f"%2Frendez-vous%2Fagenda%2F{token}.ics"
    )


def test_the_feed_is_served_as_a_private_calendar(client, samia):
    BookingFactory(counsellor=samia, start=timezone.now() + timedelta(days=2))
    token = feed.issue_token(samia)

    response = client.get(feed_url(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="rendez-vous.ics"'
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert "Last-Modified" in response
    assert_well_formed(response.content)
    assert len(parse_with_icaljs(response.content)["events"]) == 1
    head = client.head(feed_url(token))
    assert (head.status_code, head["ETag"], head.content) == (200, response["ETag"], b"")


def test_an_unchanged_feed_answers_304_and_a_change_gives_a_new_etag(client, samia):
    BookingFactory(counsellor=samia, start=timezone.now() + timedelta(days=2))
    token = feed.issue_token(samia)
    etag = client.get(feed_url(token))["ETag"]

    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        unchanged = client.get(feed_url(token), headers={"if-none-match": sent})
        assert (unchanged.status_code, unchanged.content) == (304, b"")
        assert unchanged["ETag"] == etag
        assert unchanged["Cache-Control"] == "private, max-age=300"

    BookingFactory(
        counsellor=samia, start=timezone.now() + timedelta(days=3), young_person__first_name="Noé"
    )
    changed = client.get(feed_url(token), headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_new_address_revokes_the_old_one(client, samia):
    old = feed.issue_token(samia)
    new = feed.issue_token(samia)

    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    assert client.get(feed_url("not-a-token")).status_code == 404


def test_refusals_do_not_write_the_secret_address_to_the_logs(client, samia, caplog):
    revoked = feed.issue_token(samia)
    current = feed.issue_token(samia)

    with caplog.at_level(logging.DEBUG):
        assert client.get(feed_url(revoked)).status_code == 404
        assert client.post(feed_url(current)).status_code == 405

    assert "/agenda/" not in caplog.text


# Conditional requests: the version is known before the body ----------------------------


def next_open_morning(days_ahead=3):
    """9:00 on the first Tuesday to Thursday, not a public holiday, `days_ahead` days or
    more from today: the feed's view reads the real clock."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    while day.weekday() not in (1, 2, 3) or day in public_holidays(day.year):
        day += timedelta(days=1)
    return datetime.combine(day, time(9, 0), tzinfo=timezone.get_default_timezone())


def book(counsellor, start, first_name="Léa"):
    return services.book(
        first_name=first_name,
        email=f"{slugify(first_name)}@example.org",
        consent=True,
        counsellor=counsellor,
        format=counsellor.formats.get(),
        place=counsellor.places.get(),
        start=start,
    )


def conditional_get(client, token, response):
    return client.get(feed_url(token), headers={"if-none-match": response["ETag"]})


def test_a_current_copy_gets_304_in_three_queries_without_building_the_body(
    client, samia, monkeypatch, django_assert_max_num_queries
):
    start = next_open_morning()
    book(samia, start)
    token = feed.issue_token(samia)
    first = client.get(feed_url(token))
    assert first.status_code == 200

    def must_not_build(*args):
        raise AssertionError("the body was built for a client whose copy is current")

    monkeypatch.setattr(feed, "counsellor_calendar", must_not_build)
    with django_assert_max_num_queries(3):  # the site, the token, the bookings' summary
        again = conditional_get(client, token, first)
    by_date = client.get(feed_url(token), headers={"if-modified-since": first["Last-Modified"]})

    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    assert again["Last-Modified"] == first["Last-Modified"]
    assert (by_date.status_code, by_date.content) == (304, b"")


def test_a_booking_made_moved_or_cancelled_reaches_the_next_conditional_request(client, samia):
    start = next_open_morning()
    token = feed.issue_token(samia)
    before = client.get(feed_url(token))

    booking = book(samia, start)
    made = conditional_get(client, token, before)
    assert made.status_code == 200
    assert z(start) in {event["start"] for event in parse_with_icaljs(made.content)["events"]}

    services.move(booking, by=services.Actor.STAFF, start=start + timedelta(hours=1))
    moved = conditional_get(client, token, made)
    assert moved.status_code == 200
    event = parse_with_icaljs(moved.content)["events"][0]
    assert event["start"] == z(start + timedelta(hours=1))

    services.cancel(booking, by=services.Actor.STAFF)
    cancelled = conditional_get(client, token, moved)
    assert cancelled.status_code == 200
    assert parse_with_icaljs(cancelled.content)["events"][0]["status"] == "CANCELLED"
    assert conditional_get(client, token, cancelled).status_code == 304


def test_a_booking_moved_to_another_counsellor_leaves_the_first_ones_feed(client, samia, julien):
    start = next_open_morning()
    booking = book(samia, start)
    token = feed.issue_token(samia)
    before = client.get(feed_url(token))

    services.move(booking, by=services.Actor.STAFF, counsellor=julien)

    after = conditional_get(client, token, before)
    assert after.status_code == 200
    assert parse_with_icaljs(after.content)["events"] == []


def test_a_changed_place_or_an_erased_name_reaches_the_feed_once_committed(
    client, samia, django_capture_on_commit_callbacks
):
    person = book(samia, next_open_morning(), first_name="Zoé").young_person
    token = feed.issue_token(samia)
    before = client.get(feed_url(token))
    assert b"Z." in before.content

    with django_capture_on_commit_callbacks(execute=True):
        place = samia.places.get()
        place.name = "Maison des Jeunes"
        place.save()
        not_yet = conditional_get(client, token, before)
    renamed = conditional_get(client, token, before)

    assert not_yet.status_code == 304, "the new version waits for the commit"
    assert renamed.status_code == 200
    assert "Maison des Jeunes" in renamed.content.decode()

    erase_person(person)
    erased = conditional_get(client, token, renamed)
    assert erased.status_code == 200
    assert b"Z." not in erased.content


def test_a_change_in_the_same_second_still_moves_last_modified(client, samia):
    token = feed.issue_token(samia)
    first = client.get(feed_url(token))

    book(samia, next_open_morning())
    second = client.get(feed_url(token))

    assert second["Last-Modified"] != first["Last-Modified"]
    stale = client.get(feed_url(token), headers={"if-modified-since": first["Last-Modified"]})
    assert stale.status_code == 200
    later = http_date(timezone.now().timestamp() - 3600)
    assert client.get(feed_url(token), headers={"if-modified-since": later}).status_code == 200


def test_a_session_renamed_in_the_admin_reaches_the_feed(
    client, samia, make_session, django_capture_on_commit_callbacks
):
    session = make_session(samia, next_open_morning().strftime("%Y-%m-%d %H:%M"))
    set_seats_booked(session, 1)
    token = feed.issue_token(samia)
    before = client.get(feed_url(token))

    session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        session.title = "Préparer un entretien"
        session.save()

    after = conditional_get(client, token, before)
    assert after.status_code == 200
    assert "Préparer un entretien" in parse_with_icaljs(after.content)["events"][0]["summary"]


def test_a_release_that_writes_feeds_differently_gives_them_a_new_version(
    client, samia, monkeypatch
):
    token = feed.issue_token(samia)
    before = client.get(feed_url(token))

    monkeypatch.setattr(feed, "WRITER", "the next release")

    assert conditional_get(client, token, before).status_code == 200


def test_on_redis_a_current_copy_gets_304_and_a_renamed_place_reaches_the_feed(
    client, samia, settings, redis_url, django_capture_on_commit_callbacks
):
    """Production keeps the versions in Redis, shared by every worker."""
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}
    }
    book(samia, next_open_morning())
    token = feed.issue_token(samia)
    first = client.get(feed_url(token))
    assert conditional_get(client, token, first).status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        place = samia.places.get()
        place.name = "Point Information Jeunesse"
        place.save()

    renamed = conditional_get(client, token, first)
    assert renamed.status_code == 200
    assert "Point Information Jeunesse" in renamed.content.decode()
    assert renamed["Last-Modified"] != first["Last-Modified"]
