"""Appointments as iCalendar files: one booking ("add to my calendar", e-mail
invitations) and a counsellor's whole agenda (the subscription feed of booking.feeds).

- UID `booking-<uuid>@<domain>` never changes, so calendars update the event rather than
  add a second one; SEQUENCE is the booking's revision and DTSTAMP its last change (not
  the time of the download), so calendars order the versions correctly and the same
  data always gives the same bytes (the feed's ETag depends on it).
- Times in UTC (no VTIMEZONE needed).
- METHOD: PUBLISH for downloads and the feed, REQUEST for e-mailed confirmations, moves
  and reminders, CANCEL (with STATUS:CANCELLED) for cancellations; the e-mail part's MIME
  `method=` must match.
- No phone number or e-mail address in any file, except the attendee's own address in
  the invitations sent to them. The feed, which Google or Microsoft store, names young
  people by their initial only.
"""

from datetime import UTC, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Booking, GroupSession

PUBLISH, REQUEST, CANCEL = "PUBLISH", "REQUEST", "CANCEL"
PRODID = "-//Passerelle//Rendez-vous//FR"
# How far back the feed reaches, and how long a cancelled appointment stays in it (struck
# through by Apple, hidden by Google) before it is dropped.
FEED_HISTORY = timedelta(days=30)
# How often calendar clients are asked to fetch the feed again (Google ignores it).
FEED_REFRESH = timedelta(hours=1)
# Where the feed links each event to: the booking's page and the session's form.
BOOKING_ADMIN_URL_NAME = "wagtailsnippets_booking_booking:inspect"
GROUP_SESSION_ADMIN_URL_NAME = "wagtailsnippets_booking_groupsession:edit"


def site_url():
    """The public address of the site, for links in e-mails and calendar files."""
    url = getattr(settings, "BOOKING_SITE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return url.rstrip("/")


def site_domain():
    return urlsplit(site_url()).hostname or "localhost"


def event_uid(booking):
    return f"booking-{booking.uuid}@{site_domain()}"


def group_session_uid(session):
    return f"group-session-{session.pk}@{site_domain()}"


OWN_UID_PREFIXES = ("booking-", "group-session-")


def is_own_uid(uid):
    """True for the UID of an appointment we wrote: a counsellor whose agenda subscribes
    to our feed must not see those appointments come back as outside busy times."""
    local, _at, domain = str(uid).rpartition("@")
    return domain == site_domain() and local.startswith(OWN_UID_PREFIXES)


def utc(moment):
    """Written with a Z: a time zone other than UTC would need a VTIMEZONE, and an
    undefined TZID becomes floating time in Thunderbird."""
    return moment.astimezone(UTC)


def place_text(place):
    """The place on one line, as calendars and map links show it."""
    lines = [place.name, *place.address.splitlines()]
    return ", ".join(line.strip() for line in lines if line.strip())


def _calendar(method, *properties):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    for name, value, parameters in properties:
        calendar.add(name, value, parameters=parameters)
    return calendar


def _timed_event(uid, *, sequence, changed_at, created_at, start, end, cancelled):
    """The properties every event shares; DTSTAMP is the last change, never "now"."""
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", utc(changed_at))
    event.add("last-modified", utc(changed_at))
    if created_at is not None:
        event.add("created", utc(created_at))
    event.add("dtstart", utc(start))
    event.add("dtend", utc(end))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def _booking_event(booking, *, cancelled):
    return _timed_event(
        event_uid(booking),
        sequence=booking.sequence,
        changed_at=booking.updated_at,
        created_at=booking.created_at,
        start=booking.start,
        end=booking.end,
        cancelled=cancelled,
    )


# One appointment, for the young person ------------------------------------------------


def booking_summary(booking):
    """What the young person's calendar shows: the format, the counsellor, and the topic
    of a group session."""
    summary = _("%(format)s with %(counsellor)s") % {
        "format": booking.format.name,
        "counsellor": booking.counsellor.first_name,
    }
    session = booking.group_session
    if session is not None and session.title:
        return f"{session.title} – {summary}"
    return summary


def booking_calendar(booking, *, method=PUBLISH, attendee_email="", manage_url=""):
    """The calendar file (bytes) for `booking` as it is now."""
    cancelled = method == CANCEL or booking.is_cancelled
    place = booking.place
    description = [
        booking.format.name,
        place.directions,
        place.accessibility,
        _("To move or cancel: %(url)s") % {"url": manage_url} if manage_url else "",
    ]
    organizer_name, organizer_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{organizer_email}")
    organizer.params["CN"] = organizer_name or settings.WAGTAIL_SITE_NAME

    event = _booking_event(booking, cancelled=cancelled)
    event.add("summary", booking_summary(booking))
    event.add("location", place_text(place))
    event.add("description", "\n\n".join(part for part in description if part))
    event.add("organizer", organizer)
    if attendee_email:
        attendee = icalendar.vCalAddress(f"mailto:{attendee_email}")
        attendee.params.update(
            {
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": "DECLINED" if cancelled else "ACCEPTED",
                "RSVP": "FALSE",
            }
        )
        event.add("attendee", attendee)
    if manage_url:
        event.add("url", manage_url)

    calendar = _calendar(method)
    calendar.add_component(event)
    return calendar.to_ical()


# A counsellor's agenda, the subscription feed -----------------------------------------


def admin_links(url_name):
    """pk -> absolute admin URL. reverse() runs once, not once per event: for 1,000
    bookings it was an eighth of the feed's time."""
    marker = "987654321"
    template = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(url_name, args=[marker])
    return lambda pk: template.replace(marker, str(pk))


def feed_name(counsellor):
    return _("%(site)s – %(counsellor)s's appointments") % {
        "site": settings.WAGTAIL_SITE_NAME,
        "counsellor": counsellor.first_name,
    }


def feed_bookings(counsellor, now):
    """Individual bookings that end after `now` − 30 days, cancelled ones only while
    their cancellation is less than 30 days old; seats in group sessions are shown as
    their session. One query, whatever their number."""
    since = now - FEED_HISTORY
    return (
        Booking.objects.filter(counsellor=counsellor, group_session__isnull=True, end__gt=since)
        .exclude(Q(status__in=Booking.CANCELLED_STATUSES) & Q(updated_at__lt=since))
        .select_related("format", "place", "young_person")
        .order_by("start", "pk")
    )


def feed_group_sessions(counsellor, now):
    """Sessions with at least one seat taken, with the time of the last seat change."""
    return (
        GroupSession.objects.filter(
            counsellor=counsellor, seats_booked__gt=0, end__gt=now - FEED_HISTORY
        )
        .select_related("format", "place")
        .annotate(last_change=Max("bookings__updated_at"))
        .order_by("start", "pk")
    )


def feed_booking_event(booking, admin_link):
    """Just enough for the counsellor to recognise the appointment: format, the first
    name's initial and a short reference; the rest stays behind the admin link."""
    person = booking.young_person
    summary = [booking.format.name]
    if person is not None and person.first_name:
        summary.append(f"{person.first_name[0].upper()}.")
    summary.append(_("ref. %(reference)s") % {"reference": str(booking.uuid)[:8]})
    link = admin_link(booking.pk)
    event = _booking_event(booking, cancelled=booking.is_cancelled)
    event.add("summary", " – ".join(summary))
    event.add("location", place_text(booking.place))
    event.add("description", f"{place_text(booking.place)}\n\n{link}")
    event.add("url", link)
    return event


def feed_session_event(session, admin_link):
    """One event per session, however many seats are taken. Its time cannot change
    while seats are booked (admin_views.GroupSessionForm), so SEQUENCE stays 0; DTSTAMP
    follows the last seat taken or given back, so the seat count updates."""
    seats = _("%(booked)s/%(capacity)s seats") % {
        "booked": session.seats_booked,
        "capacity": session.capacity,
    }
    summary = [session.format.name, session.title, seats]
    link = admin_link(session.pk)
    event = _timed_event(
        group_session_uid(session),
        sequence=0,
        changed_at=session.last_change or session.start,
        created_at=None,
        start=session.start,
        end=session.end,
        cancelled=False,
    )
    event.add("summary", " – ".join(part for part in summary if part))
    event.add("location", place_text(session.place))
    event.add("description", f"{place_text(session.place)}\n\n{link}")
    event.add("url", link)
    return event


def counsellor_calendar(counsellor, now):
    """The counsellor's feed (bytes): the same data gives the same bytes, so a client
    asking again gets a 304. Written in the site's language whoever asks."""
    with translation.override(settings.LANGUAGE_CODE):
        name = feed_name(counsellor)
        calendar = _calendar(
            PUBLISH,
            ("name", name, None),
            ("x-wr-calname", name, None),
            # icalendar's refresh_interval drops VALUE=DURATION, which RFC 7986 requires.
            ("refresh-interval", FEED_REFRESH, {"VALUE": "DURATION"}),
            ("x-published-ttl", icalendar.vDuration(FEED_REFRESH), None),
        )
        booking_link = admin_links(BOOKING_ADMIN_URL_NAME)
        session_link = admin_links(GROUP_SESSION_ADMIN_URL_NAME)
        events = [
            feed_booking_event(booking, booking_link) for booking in feed_bookings(counsellor, now)
        ]
        events += [
            feed_session_event(session, session_link)
            for session in feed_group_sessions(counsellor, now)
        ]
    for event in sorted(events, key=lambda event: (event.decoded("dtstart"), str(event["uid"]))):
        calendar.add_component(event)
    return calendar.to_ical()
