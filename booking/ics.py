"""One booking as an iCalendar file, for "add to my calendar" and e-mail invitations.

- UID `booking-<uuid>@<domain>` never changes, so calendars update the event rather than
  add a second one; SEQUENCE is the booking's revision and DTSTAMP its last change (not
  the time of the download), so calendars order the versions correctly.
- Times in UTC (no VTIMEZONE needed).
- METHOD: PUBLISH for downloads, REQUEST for e-mailed confirmations and moves, CANCEL
  (with STATUS:CANCELLED) for cancellations; the e-mail part's MIME `method=` must match.
- No phone number or e-mail address in the file, except the attendee's own address in the
  invitations sent to them.
"""

from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _

PUBLISH, REQUEST, CANCEL = "PUBLISH", "REQUEST", "CANCEL"
PRODID = "-//Passerelle//Rendez-vous//FR"


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

    event = icalendar.Event()
    event.add("uid", event_uid(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", booking.updated_at)
    event.add("last-modified", booking.updated_at)
    event.add("created", booking.created_at)
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end)
    event.add(
        "summary",
        _("%(format)s with %(counsellor)s")
        % {"format": booking.format.name, "counsellor": booking.counsellor.first_name},
    )
    event.add("location", ", ".join(part for part in (place.name, place.address) if part))
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
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(event)
    return calendar.to_ical()
