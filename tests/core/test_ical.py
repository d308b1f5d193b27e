"""The calendar scaffold and HTTP answers shared by appointments and events (their own
files are checked by both parsers in tests/ics)."""

import hashlib
import logging
from datetime import timedelta

import pytest
from django.test import RequestFactory

from core import ical


def feed_of(request, body, filename, *, private=False):
    """A feed whose version is its body's hash, as the events and counsellor feeds
    compute theirs before building."""
    etag = f'"{hashlib.sha256(body).hexdigest()}"'
    return ical.conditional_feed_response(
        request, lambda: body, filename, etag=etag, private=private
    )


BODY = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


def get(**headers):
    return RequestFactory().get("/agenda/secret-token.ics", headers=headers)


def test_a_feed_is_a_gregorian_calendar_with_its_name_and_refresh_and_no_method():
    calendar = ical.add_feed_headers(ical.new_calendar("-//Test//FR"), "Agenda", timedelta(hours=1))
    data = calendar.to_ical()
    assert data.startswith(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//FR\r\nCALSCALE:GREGORIAN\r\n"
        b"NAME:Agenda\r\nX-WR-CALNAME:Agenda\r\n"
        b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nX-PUBLISHED-TTL:PT1H\r\n"
    )
    assert b"METHOD" not in data
    assert b"METHOD:CANCEL" in ical.new_calendar("-//Test//FR", "CANCEL").to_ical()


def test_a_place_on_one_line():
    assert ical.one_line("Espace Jeunes", " 14 rue des Terrils\n\n62300 Lens ") == (
        "Espace Jeunes, 14 rue des Terrils, 62300 Lens"
    )
    assert ical.one_line("", "") == ""


def test_a_file_is_downloaded():
    response = ical.calendar_file_response(BODY, "atelier-cv.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="atelier-cv.ics"'
    assert response.content == BODY


@pytest.mark.parametrize("private", [False, True])
def test_a_feed_answers_304_to_a_client_whose_copy_is_current(private):
    first = feed_of(get(), BODY, "feed.ics", private=private)
    assert first.status_code == 200
    assert first["Content-Disposition"] == 'inline; filename="feed.ics"'
    etag = first["ETag"]
    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = feed_of(get(if_none_match=sent), BODY, "feed.ics", private=private)
        assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
        assert again["Cache-Control"] == first["Cache-Control"]
    changed = feed_of(get(if_none_match=etag), BODY + b"\r\n", "feed.ics", private=private)
    assert changed.status_code == 200


def test_a_public_feed_may_be_cached_by_anyone():
    response = feed_of(get(), BODY, "feed.ics")
    assert response["Cache-Control"] == "public, max-age=900"
    assert "Referrer-Policy" not in response


def test_a_private_feed_stays_private_and_out_of_the_logs(caplog):
    response = feed_of(get(), BODY, "feed.ics", private=True)
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # No 412, which Django's own conditional answer would log with the secret path.
    with caplog.at_level(logging.DEBUG):
        refused = feed_of(get(if_match='"stale"'), BODY, "feed.ics", private=True)
    assert refused.status_code == 200
    assert "secret-token" not in caplog.text
