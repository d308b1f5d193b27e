"""What every calendar file and feed of the site shares, whatever it holds: the
VCALENDAR scaffold, the headers of a feed people subscribe to, a place on one line, and
the HTTP answers (a file to save, or a feed answered with ETag and 304).

The content stays with each app: appointments in booking.calendars, events in events.ics.
"""

import hashlib

import icalendar
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import (
    content_disposition_header,
    http_date,
    parse_etags,
    parse_http_date_safe,
)

CONTENT_TYPE = "text/calendar; charset=utf-8"

# How long a client may keep a feed before asking again (it then mostly gets a 304):
# a private feed is one person's agenda, a public one the same for everyone.
PRIVATE_FEED_CACHE = "private, max-age=300"
PUBLIC_FEED_CACHE = "public, max-age=900"


def new_calendar(prodid, method=None):
    """`method` only for an invitation sent by e-mail (REQUEST, CANCEL). A file to save or
    a feed declares none: RFC 5546 wants an ORGANIZER in every METHOD:PUBLISH event, and
    libical-based clients refuse a file without one."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def add_feed_headers(calendar, name, refresh):
    """The name subscribers see, and how often (a timedelta) they should fetch again."""
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    # RFC 7986 requires VALUE=DURATION, which icalendar's refresh_interval leaves out;
    # Outlook reads X-PUBLISHED-TTL instead.
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(refresh))
    return calendar


def one_line(*texts):
    """Texts of one or several lines (a name, an address) on one line, as calendars and
    map links show a place: "Espace Jeunes, 14 rue des Terrils, 62300 Lens"."""
    lines = (line.strip() for text in texts for line in text.splitlines())
    return ", ".join(line for line in lines if line)


def calendar_file_response(body, filename):
    """A calendar file to save or open: one appointment, one event."""
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def calendar_feed_response(request, body, filename, *, private=False):
    """A feed whose ETag comes from its body, which the same data always writes the
    same: the body is built before the client's copy is compared (see
    conditional_feed_response for a feed that knows its version before building)."""
    etag = f'"{hashlib.sha256(body).hexdigest()}"'
    return conditional_feed_response(request, lambda: body, filename, etag=etag, private=private)


def conditional_feed_response(request, build, filename, *, etag, last_modified=None, private=False):
    """A feed that calendar clients poll, shown inline; `build()` gives its body and is
    called only when the client's copy is not current: a 304 costs what `etag` (quoted)
    and `last_modified` (an aware datetime, or None) cost.

    `private=True` is for a feed whose secret address is its credential (a counsellor's
    appointments): private caching, no Referer sent on, not indexed, and nothing that
    would write the address to the logs. That is why the validators are compared here,
    in both modes, rather than by Django's get_conditional_response: it logs the request
    path when it answers 412 (to If-Match or If-Unmodified-Since, which calendar clients
    do not send anyway), and that path holds the secret.
    """
    if _unchanged_for_client(request, etag, last_modified):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(build(), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(False, filename)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = PRIVATE_FEED_CACHE if private else PUBLIC_FEED_CACHE
    return keep_secret(response) if private else response


def keep_secret(response):
    """For any answer at a secret address, refusals included: the address is not sent on
    as a Referer, not indexed, and not logged by Django (a response marked as already
    logged is skipped by its request logging)."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response._has_been_logged = True
    return response


def _unchanged_for_client(request, etag, last_modified):
    """If-None-Match, compared weakly as RFC 9110 asks (a proxy may have added W/); only
    without it, If-Modified-Since."""
    if "If-None-Match" in request.headers:
        tags = parse_etags(request.headers["If-None-Match"])
        return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified is not None and last_modified.timestamp() <= since
