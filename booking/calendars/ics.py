"""Appointments as iCalendar files: one booking ("add to my calendar", e-mail
invitations), and the parts a counsellor's feed (`feed`) shares with it.

- UID `booking-<uuid>@<domain>` (its structure's domain) never changes, so calendars
  update the event rather than add a second one; SEQUENCE is the booking's revision
  and DTSTAMP its last change (not the time of the download), so calendars order the
  versions correctly and the same data always gives the same bytes (the feed's ETag
  depends on it).
- Times in UTC (no VTIMEZONE needed).
- METHOD: none for downloads and the feed (they are not invitations), REQUEST for
  e-mailed confirmations, moves and reminders, CANCEL (with STATUS:CANCELLED) for
  cancellations; the e-mail part's MIME `method=` must match.
- The young person's file carries an alarm (VALARM, DISPLAY) two hours before, which
  calendars show even when no e-mail or SMS reaches them; cancelled events carry none.
  The counsellor's feed has none: their calendar applies their own.
- No phone number, e-mail or home address in any file, except the attendee's own
  e-mail address in the invitations sent to them. The feed, which Google or Microsoft
  store, names young people by their initial only. A video meeting's link is the
  LOCATION of the person's file (and in their e-mail), never in the feed.
"""

from datetime import UTC, timedelta

import icalendar
from django.utils.translation import gettext as _
from wagtail.models import Site

from booking.models import Place
from core.ical import new_calendar, one_line

REQUEST, CANCEL = "REQUEST", "CANCEL"
ALARM_BEFORE = timedelta(hours=2)
PRODID = "-//Passerelle//Rendez-vous//FR"


def event_uid(booking, domain=None):
    """`domain`: its structure's (read from the booking unless given, as a feed does for
    all its events at once)."""
    return f"booking-{booking.uuid}@{domain or booking.structure.domain}"


def group_session_uid(session, domain=None):
    return f"group-session-{session.pk}@{domain or session.structure.domain}"


OWN_UID_PREFIXES = ("booking-", "group-session-")


def own_domains():
    """The domains our UIDs end with: one per structure's site."""
    return set(Site.objects.values_list("hostname", flat=True))


def is_own_uid(uid, domains):
    """True for the UID of an appointment we wrote (`domains`: `own_domains()`): a
    counsellor whose agenda subscribes to a feed of ours, from any structure, must not
    see those appointments come back as outside busy times."""
    local, _at, domain = str(uid).rpartition("@")
    return domain in domains and local.startswith(OWN_UID_PREFIXES)


def utc(moment):
    """Written with a Z: a time zone other than UTC would need a VTIMEZONE, and an
    undefined TZID becomes floating time in Thunderbird."""
    return moment.astimezone(UTC)


def place_text(place):
    """The place on one line, as calendars and map links show it."""
    return one_line(place.name, place.address)


def timed_event(uid, *, sequence, changed_at, created_at, start, end, cancelled):
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


def booking_event(booking, *, cancelled, domain=None):
    return timed_event(
        event_uid(booking, domain),
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


def _alarm(summary):
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -ALARM_BEFORE)
    return alarm


def how_it_is_held(booking):
    """Who goes to whom, or calls whom (and from which of the structure's numbers), for a
    meeting at home or by phone; never the person's address or number."""
    name = booking.counsellor.first_name
    if booking.place.kind == Place.Kind.HOME:
        return _("%(name)s comes to you, at the address you gave.") % {"name": name}
    if booking.place.kind == Place.Kind.PHONE:
        number = booking.structure.caller_phone
        if number:
            return _("%(name)s will call you on the number you gave, from %(number)s.") % {
                "name": name,
                "number": number,
            }
        return _("%(name)s will call you on the number you gave.") % {"name": name}
    return ""


def booking_calendar(booking, *, method=None, attendee_email="", manage_url=""):
    """The calendar file (bytes) for `booking` as it is now; `method` (REQUEST or CANCEL)
    only for an invitation sent by e-mail."""
    cancelled = method == CANCEL or booking.is_cancelled
    place = booking.place
    video_url = "" if cancelled else booking.video_url
    description = [
        booking.format.name,
        how_it_is_held(booking),
        _("Join the video meeting: %(url)s") % {"url": video_url} if video_url else "",
        place.directions,
        place.accessibility,
        _("To move or cancel: %(url)s") % {"url": manage_url} if manage_url else "",
    ]
    structure = booking.structure
    organizer = icalendar.vCalAddress(f"mailto:{structure.sender_address}")
    organizer.params["CN"] = structure.name

    event = booking_event(booking, cancelled=cancelled)
    event.add("summary", booking_summary(booking))
    event.add("location", video_url or place_text(place))
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
    if not cancelled:
        event.add_component(_alarm(event["summary"]))

    calendar = new_calendar(PRODID, method)
    calendar.add_component(event)
    return calendar.to_ical()


# A registration to an event date ---------------------------------------------------------


def registration_uid(registration):
    return f"registration-{registration.uuid}@{registration.structure.domain}"


def registration_calendar(registration, *, method=None, manage_url=""):
    """The calendar file (bytes) of a registration's date, as it is now: SEQUENCE its
    revision, which rises when the date moves or is cancelled."""
    date = registration.date
    cancelled = method == CANCEL or not registration.is_live
    event = date.event
    online = registration.pool.mode == registration.pool.Mode.ONLINE
    location = ""
    if event is not None:
        location = event.online_url if online else one_line(event.venue_name, event.address)
    description = [
        event.intro if event is not None else "",
        _("To see or cancel your registration: %(url)s") % {"url": manage_url}
        if manage_url
        else "",
    ]
    vevent = timed_event(
        registration_uid(registration),
        sequence=registration.sequence,
        changed_at=registration.updated_at,
        created_at=registration.created_at,
        start=date.start,
        end=date.end,
        cancelled=cancelled,
    )
    vevent.add("summary", date.title)
    vevent.add("location", location)
    vevent.add("description", "\n\n".join(part for part in description if part))
    structure = registration.structure
    organizer = icalendar.vCalAddress(f"mailto:{structure.sender_address}")
    organizer.params["CN"] = structure.name
    vevent.add("organizer", organizer)
    if manage_url:
        vevent.add("url", manage_url)
    if not cancelled:
        vevent.add_component(_alarm(date.title))
    calendar = new_calendar(PRODID, method)
    calendar.add_component(vevent)
    return calendar.to_ical()
