"""A counsellor's appointments as a calendar feed that Google, Outlook, Apple or
Thunderbird subscribe to: its secret address, its content and its HTTP answer.

Google cannot send credentials, so the URL is the credential: a random token
(secrets.token_urlsafe, 256 bits) of which only the SHA-256 is stored. A leaked database
therefore does not open anyone's agenda, the full address can be shown only when it is
made, and making a new one revokes the old one (its hash is replaced).

The content names young people by their initial only: Google or Microsoft store it.

Clients poll it every few minutes and mostly have the current copy, so its version is
known before the body is built (0.4 s of CPU for 1,000 bookings, bench/feed.py): one
aggregate query over the bookings it shows, the counsellor's name and token, and a
cache stamp that the shared rows it quotes (formats, places, sessions, people's
names) bump when they change. A 304 costs two queries.
"""

import hashlib
import secrets
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponseNotAllowed, HttpResponseNotFound
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from booking.models import Booking, Counsellor, Format, GroupSession, Place, YoungPerson
from core import ical
from core.calendar_links import subscription_links
from core.ical import add_feed_headers, conditional_feed_response, keep_secret, new_calendar

from . import ics
from .ics import PRODID, booking_event, group_session_uid, place_text, timed_event

# How far back the feed reaches, and how long a cancelled appointment stays in it (struck
# through by Apple, hidden by Google) before it is dropped.
FEED_HISTORY = timedelta(days=30)

# How often calendar clients are asked to fetch the feed again (Google ignores it).
FEED_REFRESH = timedelta(hours=1)

# Where the feed links each event to: the booking's page and the session's form.
BOOKING_ADMIN_URL_NAME = "wagtailsnippets_booking_booking:inspect"
GROUP_SESSION_ADMIN_URL_NAME = "wagtailsnippets_booking_groupsession:edit"


# The secret address -----------------------------------------------------------


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(counsellor, *, now=None):
    """A new feed address for `counsellor`; the previous one stops working at once."""
    token = secrets.token_urlsafe(32)
    counsellor.calendar_feed_token_hash = token_hash(token)
    counsellor.calendar_feed_created_at = now or timezone.now()
    counsellor.save(update_fields=["calendar_feed_token_hash", "calendar_feed_created_at"])
    return token


def has_feed(counsellor):
    return bool(counsellor.calendar_feed_token_hash)


def counsellor_for_token(token, structure):
    """The counsellor of `structure` whose current feed token this is, or None: on
    another structure's site, the same address shows nothing."""
    if not token:
        return None
    return Counsellor.objects.filter(
        calendar_feed_token_hash=token_hash(token), structures=structure
    ).first()


def feed_links(token, structure):
    """https, webcal:// and Google links to the feed of this token on the structure's site."""
    url = structure.public_url + reverse("booking:counsellor_feed", args=[token])
    return subscription_links(url)


# The content ------------------------------------------------------------------


def admin_links(url_name, structure):
    """pk -> absolute admin URL, on the structure's site (its admin shows its rows).
    reverse() runs once, not once per event: for 1,000 bookings it was an eighth of the
    feed's time."""
    marker = "987654321"
    template = structure.public_url + reverse(url_name, args=[marker])
    return lambda pk: template.replace(marker, str(pk))


def feed_name(counsellor, structure):
    return _("%(site)s – %(counsellor)s's appointments") % {
        "site": structure.name,
        "counsellor": counsellor.first_name,
    }


# Only what the events show: the other columns (messages, directions, durations...)
# are converted for nothing.
PLACE_FIELDS = ("place__name", "place__address")
EVENT_FIELDS = ("uuid", "start", "end", "status", "sequence", "created_at", "updated_at")
EVENT_FIELDS += PLACE_FIELDS


def feed_bookings(counsellor, structure, now):
    """Individual bookings that end after `now` − 30 days, cancelled ones only while
    their cancellation is less than 30 days old; seats in group sessions are shown as
    their session. One query, whatever their number."""
    return (
        feed_shown_bookings(counsellor, structure, now)
        .filter(group_session__isnull=True)
        .select_related("format", "place", "young_person")
        .only(*EVENT_FIELDS, "format__name", "young_person__first_name")
        .order_by("start", "pk")
    )


def feed_shown_bookings(counsellor, structure, now):
    """Every booking of the structure the feed shows, seats in group sessions included."""
    since = now - FEED_HISTORY
    mine = Booking.objects.filter(counsellor=counsellor, format__structure=structure)
    return mine.filter(end__gt=since).exclude(
        Q(status__in=Booking.CANCELLED_STATUSES) & Q(updated_at__lt=since)
    )


def feed_group_sessions(counsellor, structure, now):
    """Sessions with at least one seat taken, with the time of the last seat change."""
    return (
        GroupSession.objects.with_seats()
        .filter(
            counsellor=counsellor,
            format__structure=structure,
            booked__gt=0,
            end__gt=now - FEED_HISTORY,
        )
        .select_related("format", "place")
        .only("title", "start", "end", "capacity", "format__name", *PLACE_FIELDS)
        .annotate(last_change=Max("bookings__updated_at"))
        .order_by("start", "pk")
    )


def feed_booking_event(booking, admin_link, domain):
    """Just enough for the counsellor to recognise the appointment: format, the first
    name's initial and a short reference; the rest stays behind the admin link."""
    person = booking.young_person
    summary = [booking.format.name]
    if person is not None and person.first_name:
        summary.append(f"{person.first_name[0].upper()}.")
    summary.append(_("ref. %(reference)s") % {"reference": str(booking.uuid)[:8]})
    link = admin_link(booking.pk)
    place = place_text(booking.place)
    event = booking_event(booking, cancelled=booking.is_cancelled, domain=domain)
    event.add("summary", " – ".join(summary))
    event.add("location", place)
    event.add("description", f"{place}\n\n{link}")
    event.add("url", link)
    return event


def feed_session_event(session, admin_link, domain):
    """One event per session, however many seats are taken. Its time cannot change
    while seats are booked (booking.staff.forms.GroupSessionForm), so SEQUENCE stays 0; DTSTAMP
    follows the last seat taken or given back, so the seat count updates."""
    seats = _("%(booked)s/%(capacity)s seats") % {
        "booked": session.booked,
        "capacity": session.capacity,
    }
    summary = [session.format.name, session.title, seats]
    link = admin_link(session.pk)
    place = place_text(session.place)
    event = timed_event(
        group_session_uid(session, domain),
        sequence=0,
        changed_at=session.last_change or session.start,
        created_at=None,
        start=session.start,
        end=session.end,
        cancelled=False,
    )
    event.add("summary", " – ".join(part for part in summary if part))
    event.add("location", place)
    event.add("description", f"{place}\n\n{link}")
    event.add("url", link)
    return event


def counsellor_calendar(counsellor, structure, now):
    """The counsellor's feed of one structure (bytes): the same data gives the same
    bytes, so a client asking again gets a 304. Written in the site's language whoever
    asks."""
    domain = structure.domain
    with translation.override(settings.LANGUAGE_CODE):
        name = feed_name(counsellor, structure)
        calendar = add_feed_headers(new_calendar(PRODID), name, FEED_REFRESH)
        booking_link = admin_links(BOOKING_ADMIN_URL_NAME, structure)
        session_link = admin_links(GROUP_SESSION_ADMIN_URL_NAME, structure)
        events = [
            feed_booking_event(booking, booking_link, domain)
            for booking in feed_bookings(counsellor, structure, now)
        ]
        events += [
            feed_session_event(session, session_link, domain)
            for session in feed_group_sessions(counsellor, structure, now)
        ]
    for event in sorted(events, key=lambda event: (event["dtstart"].dt, event["uid"])):
        calendar.add_component(event)
    return calendar.to_ical()


# The version, known before the body -------------------------------------------

# A release that changes how feeds are written gives each one a new version, even when
# none of its data changed.
WRITER = hashlib.sha256(
    b"".join(Path(module).read_bytes() for module in (__file__, ics.__file__, ical.__file__))
).hexdigest()

# Bumped when a row that feeds quote but whose change no booking records is saved.
SHARED_CONTENT_KEY = "booking:calendar-feeds:shared"


def feed_version(counsellor, structure, now):
    """What the feed's body depends on, as an ETag (quoted). The bookings' part comes
    from the database in one query, so it moves with the data it was read with: made,
    moved (to or away from this counsellor), cancelled, anonymised, or out of the
    30 days (count, named count, last change; seats move their session's time too)."""
    shown = feed_shown_bookings(counsellor, structure, now).aggregate(
        count=Count("pk"), named=Count("young_person"), changed=Max("updated_at")
    )
    with translation.override(settings.LANGUAGE_CODE):
        wording = (
            feed_name(counsellor, structure),
            _("ref. %(reference)s"),
            _("%(booked)s/%(capacity)s seats"),
        )
    parts = (
        WRITER,
        counsellor.pk,
        counsellor.calendar_feed_token_hash,
        wording,
        structure.public_url,
        cache.get(SHARED_CONTENT_KEY),
        sorted(shown.items()),
    )
    return f'"{hashlib.sha256(repr(parts).encode()).hexdigest()}"'


def first_seen(counsellor, structure, version, now):
    """When this version of the feed was first served (its Last-Modified), kept in the
    cache per counsellor. Each new version is at least a second later than the previous
    one: HTTP dates count whole seconds, and a client holding the previous copy must
    not be told it is current."""
    key = f"booking:calendar-feed:{counsellor.pk}:{structure.pk}"
    stamp = cache.get(key)
    if stamp is not None and stamp[0] == version:
        return stamp[1]
    seen = now.replace(microsecond=0)
    if stamp is not None:
        seen = max(seen, stamp[1] + timedelta(seconds=1))
    cache.set(key, (version, seen), None)
    return seen


def shared_content_changed(sender, instance, created=False, **kwargs):
    """A format, place or session edited, or a person renamed: every feed may quote
    it. Once committed, or a client could fetch the old data under the new version."""
    if sender is YoungPerson and created:
        return  # Nobody's feed names a person before their first booking.
    transaction.on_commit(lambda: cache.set(SHARED_CONTENT_KEY, uuid.uuid4().hex, None))


def watch_shared_content():
    """Connected in BookingConfig.ready. Bookings need no receiver: feed_version reads
    them. Seat counts change by UPDATE, without signals, along with their bookings."""
    for model in (Format, Place, GroupSession, YoungPerson):
        post_save.connect(shared_content_changed, sender=model, dispatch_uid="booking.feeds")
    # A person deleted leaves their bookings without a name, which feed_version counts.
    for model in (Format, Place, GroupSession):
        post_delete.connect(shared_content_changed, sender=model, dispatch_uid="booking.feeds")


# The HTTP answer --------------------------------------------------------------


def counsellor_feed(request, token):
    """The counsellor's agenda for Google, Outlook, Apple or Thunderbird to subscribe to.

    Its address is the credential, so every answer, refusals included (unknown or
    revoked token, wrong method), is a private one that Django does not log
    (core.ical.keep_secret). Polling clients mostly get a 304, answered from the
    feed's version without building the body.
    """
    if request.method not in ("GET", "HEAD"):
        return keep_secret(HttpResponseNotAllowed(["GET", "HEAD"]))
    structure = request.structure
    counsellor = counsellor_for_token(token, structure)
    if counsellor is None:
        return keep_secret(HttpResponseNotFound())
    now = timezone.now()
    version = feed_version(counsellor, structure, now)
    return conditional_feed_response(
        request,
        lambda: counsellor_calendar(counsellor, structure, now),
        "rendez-vous.ics",
        etag=version,
        last_modified=first_seen(counsellor, structure, version, now),
        private=True,
    )
