"""Sending one recorded notification, e-mail or SMS, as a django-tasks task: at least
once, and twice only if a worker dies in a window of one database write.

A notification goes pending (or failed, waiting for its retry) -> sending -> sent.
`deliver` claims it with a conditional UPDATE, committed before the mail server is
contacted: the row becomes "sending" with a lease (`CLAIM_LEASE`) and the attempt is
counted, so two workers (or a worker and the retry command) never send it at once.
"Sent" is written as soon as the server has accepted the message. Where a worker
(or its machine) can die, and what follows:
- before the claim: the row is still pending, `send_pending_notifications` queues it;
- after the claim, before the server accepted the message: nothing was delivered (a
  server keeps no half-received message); once the lease is over the retry command
  sends it;
- after the server accepted it, before "sent" is written: it was delivered and goes out
  a second time after the lease. This is the only duplicate, and it is chosen: a lost
  confirmation is worse than a repeated one. The resend carries the same `Message-ID`
  (`message_id`), by which mail servers and clients recognise the same message;
- once "sent" is written, the row is never sent again.
A failure of the mail server is recorded with a growing delay before the next attempt,
never raised to the caller. The lease must outlast the slowest send (EMAIL_TIMEOUT or
SMS_TIMEOUT per network wait), or a send still running could be taken over.

An invitation's link (`invitation_messages`) and a counsellor's e-mail
(`counsellor_emails`) follow the same path with their own content. An SMS follows it
through `core.sms`. What its provider refuses for good (a
number, a sender, a key: `PermanentError`) is recorded "rejected" and not retried; a
timeout or a 5xx is retried like a mail server's failure. A claim or a retry that falls
between 20:00 and 08:00 local waits for 08:00 (`core.sms.hours`), its attempt not counted.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from booking.calendars import ics
from booking.models import Booking, Notification
from booking.services.signals import Change
from booking.services.sms import REMINDER, MessageTooLong, notification_text
from booking.services.tokens import REMINDER_PARAMETER, make_token, short_url
from core import sms
from core.dates import local_when
from core.sms.hours import is_quiet, next_sending_time

from . import counsellor_emails, invitation_messages, registration_messages

logger = logging.getLogger(__name__)

# The changes the young person is told about: a notification's kind is the change's
# value, or a reminder's kind (`reminder_kind`).
NOTIFIED_CHANGES = (Change.BOOKED, Change.MOVED, Change.CANCELLED)
FIRST_RETRY_DELAY = timedelta(minutes=5)
LONGEST_RETRY_DELAY = timedelta(hours=6)
# A claimed notification whose worker died is tried again after this.
CLAIM_LEASE = timedelta(minutes=10)
# The statuses a worker may claim (once due): "sending" only when its lease is over.
RETRIED_STATUSES = (
    Notification.Status.PENDING,
    Notification.Status.FAILED,
    Notification.Status.SENDING,
)


def reminder_kind(hours):
    return f"{REMINDER}-{hours}h"


def max_attempts():
    return settings.BOOKING_NOTIFICATION_MAX_ATTEMPTS


def retry_delay(attempts):
    """5 minutes, 10, 20… up to 6 hours: ten attempts span about a day."""
    return min(FIRST_RETRY_DELAY * 2 ** max(attempts - 1, 0), LONGEST_RETRY_DELAY)


@task()
def send_notification(notification_id):
    return deliver(notification_id)


def deliver(notification_id, *, now=None):
    """Send the notification if it is due and nobody else is sending it; returns its
    new status, or None when it was not ours to send. Runs outside any transaction, so
    the claim and "sent" are recorded the moment they happen."""
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id,
        status__in=RETRIED_STATUSES,
        next_attempt_at__lte=now,
        attempts__lt=max_attempts(),
    ).update(
        status=Notification.Status.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + CLAIM_LEASE,
    )
    if not claimed:
        return None
    notification = Notification.objects.select_related(
        "booking__counsellor",
        "booking__format__structure__site",
        "booking__place",
        "booking__group_session",
        "booking__young_person",
        "registration__date__structure__site",
        "registration__date__event",
        "registration__pool",
        "registration__young_person",
        "date_message",
        "counsellor__user",
        "structure__site",
        "invitation__counsellor",
        "invitation__format__structure__site",
    ).get(pk=notification_id)
    # A counsellor's e-mail, an invitation and a registration have their own content and
    # their own idea of outdated news.
    content = _content(notification)
    if content.is_outdated(notification, now):
        return _finish(notification, Notification.Status.SKIPPED)
    if notification.channel == Notification.Channel.SMS:
        return _deliver_sms(notification, content, now)
    try:
        content.build_message(notification).send()
    except Exception as error:
        logger.warning(
            "Notification %s (%s) failed, attempt %s",
            notification.pk,
            notification.kind,
            notification.attempts,
            exc_info=True,
        )
        return _finish(
            notification,
            Notification.Status.FAILED,
            last_error=f"{type(error).__name__}: {error}"[:1000],
            next_attempt_at=now + retry_delay(notification.attempts),
        )
    return _finish(notification, Notification.Status.SENT, sent_at=now, last_error="")


@dataclass(frozen=True)
class Content:
    """What a notification's message says, and when it no longer should be sent."""

    is_outdated: Callable
    build_message: Callable
    build_text: Callable | None = None


def _content(notification):
    if notification.counsellor_id is not None:
        return Content(counsellor_emails.is_outdated, counsellor_emails.build_message)
    if notification.invitation_id is not None:
        return Content(
            invitation_messages.is_outdated,
            invitation_messages.build_message,
            invitation_messages.build_text,
        )
    if notification.registration_id is not None:
        return Content(
            registration_messages.is_outdated,
            registration_messages.build_message,
            registration_messages.build_text,
        )
    return Content(is_outdated, build_message, build_text)


def _sms_of(notification):
    """(structure, number) of an SMS: a booking's or a registration's person's, or an
    invitation's."""
    if notification.invitation_id is not None:
        return notification.invitation.structure, notification.invitation.contact
    about = notification.booking or notification.registration
    return about.structure, about.young_person.phone


def _deliver_sms(notification, content, now):
    structure, to = _sms_of(notification)
    zone = structure.zone
    if is_quiet(now, zone):
        return _finish(
            notification,
            Notification.Status.PENDING,
            attempts=F("attempts") - 1,
            next_attempt_at=next_sending_time(now, zone),
        )
    try:
        result = sms.send_sms(
            to,
            content.build_text(notification),
            sender=structure.sms_sender_name,
            reference=f"passerelle-{notification.pk}",
        )
    except (sms.PermanentError, MessageTooLong) as error:
        logger.warning(
            "SMS notification %s (%s) refused: %s",
            notification.pk,
            notification.kind,
            type(error).__name__,
        )
        return _finish(notification, Notification.Status.REJECTED, last_error=_error_text(error))
    except Exception as error:
        logger.warning(
            "SMS notification %s (%s) failed, attempt %s",
            notification.pk,
            notification.kind,
            notification.attempts,
            exc_info=not isinstance(error, sms.TemporaryError),
        )
        return _finish(
            notification,
            Notification.Status.FAILED,
            last_error=_error_text(error),
            next_attempt_at=next_sending_time(now + retry_delay(notification.attempts), zone),
        )
    return _finish(
        notification,
        Notification.Status.SENT,
        sent_at=now,
        last_error="",
        segments=result.segments,
        provider_message_id=result.message_id[:100],
    )


def _error_text(error):
    return f"{type(error).__name__}: {error}"[:1000]


def _finish(notification, status, **fields):
    Notification.objects.filter(pk=notification.pk).update(status=status, **fields)
    return status


def is_outdated(notification, now):
    """Nobody to write to any more (or who wants no more SMS), or news that a later
    change has replaced: a confirmation of a time that moved, a reminder of a cancelled
    or past appointment."""
    booking = notification.booking
    person = booking.young_person
    if person is None:
        return True
    if notification.channel == Notification.Channel.SMS:
        if not person.phone or person.sms_stopped_at or not booking.structure.sms_enabled:
            return True
    elif not person.email:
        return True
    if notification.kind == Change.CANCELLED:
        return False
    return (
        notification.sequence != booking.sequence
        or booking.status != Booking.Status.CONFIRMED
        or booking.start <= now
    )


def message_id(notification):
    """The same for every attempt at one notification, so a resend is the same message."""
    booking = notification.booking
    domain = booking.structure.domain
    return f"<{booking.uuid}.{notification.kind}.{notification.sequence}@{domain}>"


def build_text(notification):
    """The SMS, in the site's language and its structure's time zone: one segment, with
    the short link (the reminder's opens the one-tap answers)."""
    booking = notification.booking
    kind = notification.kind
    link = short_url(booking, reminder=kind.startswith(REMINDER))
    with translation.override(settings.LANGUAGE_CODE), timezone.override(booking.structure.zone):
        return notification_text(booking, kind, link)


def build_message(notification):
    """The e-mail, in the site's language and its structure's time zone, from its
    structure: plain text, simple HTML and the .ics file."""
    booking = notification.booking
    structure = booking.structure
    person = booking.young_person
    kind = notification.kind
    template = REMINDER if kind.startswith(REMINDER) else kind
    method = ics.CANCEL if kind == Change.CANCELLED else ics.REQUEST
    manage_url = structure.public_url + reverse("booking:manage", args=[make_token(booking)])
    with translation.override(settings.LANGUAGE_CODE), timezone.override(structure.zone):
        when = local_when(booking.start)
        subjects = {
            Change.BOOKED: _("Your appointment on %(when)s is booked"),
            Change.MOVED: _("Your appointment has moved to %(when)s"),
            Change.CANCELLED: _("Your appointment on %(when)s is cancelled"),
            REMINDER: _("Reminder: your appointment on %(when)s"),
        }
        context = {
            "kind": template,
            "booking": booking,
            "person": person,
            "manage_url": manage_url,
            "reminder_url": f"{manage_url}?{REMINDER_PARAMETER}=1",
            "book_again_url": structure.public_url + reverse("booking:flow"),
            "site_name": structure.name,
            "cancelled_by_staff": booking.status == Booking.Status.CANCELLED_BY_STAFF,
        }
        subject = subjects[template] % {"when": when}
        text = render_to_string("booking/emails/notification.txt", context)
        html = render_to_string("booking/emails/notification.html", context)
        calendar = ics.booking_calendar(
            booking, method=method, attendee_email=person.email, manage_url=manage_url
        )
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=structure.from_email,
        to=[person.email],
        reply_to=structure.reply_to,
        headers={"Message-ID": message_id(notification)},
    )
    message.attach_alternative(html, "text/html")
    part = MIMEText(calendar.decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="rendez-vous.ics")
    message.attach(part)
    return message
