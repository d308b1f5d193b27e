"""What the e-mails to counsellors say: one change, or the morning digest.

No more than their calendar feed shows (booking.calendars.feed): the format, the young
person's first name's initial, the time in the structure's zone, the place (the
structure's, never a home address), the structure's cancellation message and a link
to the booking in the admin, where the rest is kept behind their sign-in. Never the
person's e-mail, number, address or message.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from booking.calendars.feed import BOOKING_ADMIN_URL_NAME, admin_links
from booking.calendars.ics import place_text
from booking.models import Booking, Counsellor, Notification
from booking.services.signals import Change
from core.dates import local_day, local_midnight, local_time, local_when

# A move to another counsellor: the one it left is told "withdrawn" (at the time they
# had, `Notification.previous_start`), the one it reached "assigned".
WITHDRAWN = "withdrawn"
ASSIGNED = "assigned"
DIGEST = "digest"
CHANGE_KINDS = (Change.BOOKED, Change.MOVED, Change.CANCELLED, WITHDRAWN, ASSIGNED)

BOOKING_FIELDS = (
    "booking__format",
    "booking__place",
    "booking__young_person",
    "booking__group_session",
)


def wants(counsellor, told):
    """Whether `counsellor` still chose `told` and has somewhere to be written to."""
    return counsellor.told == told and bool(counsellor.user.email)


def is_outdated(notification, now):
    """A change e-mail the counsellor no longer wants, or about an appointment already
    begun; a digest nobody wants, or with nothing to say."""
    counsellor = notification.counsellor
    if notification.kind == DIGEST:
        if not wants(counsellor, Counsellor.Told.DAILY_DIGEST):
            return True
        changes, today = digest_rows(notification)
        return not changes and not today
    return not wants(counsellor, Counsellor.Told.EACH_CHANGE) or start_told(notification) <= now


def start_told(notification):
    """The appointment's time as its counsellor knew it: the one they had for a move
    that took it from them, else the booking's."""
    return notification.previous_start or notification.booking.start


def digest_rows(notification):
    """(the changes kept for it on the day before, the day's appointments): two queries,
    whatever their number. Cached on the notification, which is built once."""
    if hasattr(notification, "_digest_rows"):
        return notification._digest_rows
    structure = notification.structure
    with timezone.override(structure.zone):
        today = local_midnight(notification.day)
        tomorrow = local_midnight(notification.day + timedelta(days=1))
        yesterday = local_midnight(notification.day - timedelta(days=1))
    changes = list(
        Notification.objects.filter(
            counsellor=notification.counsellor,
            status=Notification.Status.HELD,
            booking__format__structure=structure,
            created_at__gte=yesterday,
            created_at__lt=today,
        )
        .select_related(*BOOKING_FIELDS)
        .order_by("created_at", "pk")
    )
    appointments = list(
        Booking.objects.filter(
            counsellor=notification.counsellor,
            format__structure=structure,
            status=Booking.Status.CONFIRMED,
            start__gte=today,
            start__lt=tomorrow,
        )
        .select_related("format", "place", "young_person", "group_session")
        .order_by("start", "pk")
    )
    notification._digest_rows = (changes, appointments)
    return notification._digest_rows


def change_label(kind):
    return {
        Change.BOOKED: _("New appointment"),
        Change.MOVED: _("Appointment moved"),
        Change.CANCELLED: _("Appointment cancelled"),
        WITHDRAWN: _("Appointment withdrawn from your agenda"),
        ASSIGNED: _("Appointment given to you"),
    }[kind]


def item(booking, admin_link, *, kind=None, today=False, start=None):
    """One appointment as the e-mail lists it, at `start` if not the booking's."""
    person = booking.young_person
    what = [booking.format.name]
    if booking.group_session and booking.group_session.title:
        what.append(booking.group_session.title)
    if person is not None and person.first_name:
        what.append(f"{person.first_name[0].upper()}.")
    cancelled = kind == Change.CANCELLED
    return {
        "label": change_label(kind) if kind else "",
        "when": (local_time if today else local_when)(start or booking.start),
        "what": " – ".join(what),
        "place": place_text(booking.place),
        "message": booking.cancellation_message if cancelled else "",
        # The counsellor a booking left cannot open it any more.
        "link": "" if kind == WITHDRAWN else admin_link(booking.pk),
    }


def build_message(notification):
    """The e-mail to the counsellor, from the structure, in French and its time zone:
    plain text and simple HTML."""
    counsellor = notification.counsellor
    if notification.kind == DIGEST:
        structure = notification.structure
    else:
        structure = notification.booking.structure
    admin_link = admin_links(BOOKING_ADMIN_URL_NAME, structure)
    with translation.override(settings.LANGUAGE_CODE), timezone.override(structure.zone):
        if notification.kind == DIGEST:
            subject, context = _digest(notification, admin_link)
        else:
            subject, context = _change(notification, admin_link)
        context |= {"counsellor": counsellor, "site_name": structure.name}
        text = render_to_string("booking/emails/counsellor.txt", context)
        html = render_to_string("booking/emails/counsellor.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=structure.from_email,
        to=[counsellor.user.email],
        reply_to=structure.reply_to,
        headers={"Message-ID": f"<counsellor.{notification.pk}@{structure.domain}>"},
    )
    message.attach_alternative(html, "text/html")
    return message


def _change(notification, admin_link):
    booking = notification.booking
    subject = _("%(change)s: %(when)s") % {
        "change": change_label(notification.kind),
        "when": local_when(start_told(notification)),
    }
    entry = item(booking, admin_link, kind=notification.kind, start=start_told(notification))
    return subject, {"sections": [{"title": "", "items": [entry]}]}


def _digest(notification, admin_link):
    changes, appointments = digest_rows(notification)
    subject = _("Your appointments on %(day)s") % {"day": local_day(notification.day)}
    today = [item(booking, admin_link, today=True) for booking in appointments]
    sections = [
        {
            "title": _("Today's appointments"),
            "items": today,
            "empty": _("No appointment today."),
        },
        {
            "title": _("Yesterday's changes"),
            "items": [
                item(row.booking, admin_link, kind=row.kind, start=start_told(row))
                for row in changes
            ],
            "empty": _("No change yesterday."),
        },
    ]
    return subject, {"sections": sections, "digest": True}
