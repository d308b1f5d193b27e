"""E-mails to young people about their bookings: confirmation, move, cancellation, reminders.

Every e-mail is first recorded as a `Notification` row (unique per booking, kind and
revision), then handed to django-tasks. So:
- the row is written in the booking's own transaction (`booking_changed` is sent inside
  it): if the process dies right after the commit, before the task was queued, the row
  is there and `send_pending_notifications` sends it; a rolled-back change records
  nothing;
- the task is queued only after the commit, so no worker looks for a row not yet
  visible;
- a failing mail server neither loses nor blocks a booking: the row stays failed and
  `send_pending_notifications` tries again later;
- each e-mail is sent once, even if the reminder command runs twice at once; a worker
  killed in the middle of sending is the one case of a resend (`delivery`).

People who gave only a phone number get no message: there is no SMS gateway. The
confirmation page tells them to note the appointment or add it to their calendar.
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from booking.models import Booking, Notification
from structures.models import Structure

from .delivery import (
    NOTIFIED_CHANGES,
    RETRIED_STATUSES,
    max_attempts,
    reminder_kind,
    send_notification,
)

logger = logging.getLogger(__name__)


def on_booking_changed(sender, booking, change, actor, **kwargs):
    """Connected in BookingConfig.ready(). Staff cancellations carry their message in
    `booking.cancellation_message`, which the e-mail quotes."""
    if change in NOTIFIED_CHANGES:
        notify(booking, change, new_revision=True)


def notify(booking, kind, *, new_revision=False):
    """Record the e-mail and queue it once the current transaction commits (at once
    outside one); None if there is nobody to write to or it was already recorded for
    this revision.

    `new_revision`: the change just raised the booking's sequence (or created it), so
    no row can exist yet: one INSERT, without the savepoint that recovers from a
    duplicate (`booking_changed` runs its receivers under its own)."""
    person = booking.young_person
    if person is None or not person.email:
        return None
    row = {"booking": booking, "kind": kind, "sequence": booking.sequence}
    if new_revision:
        notification = Notification.objects.create(**row)
    else:
        try:
            with transaction.atomic():
                notification = Notification.objects.create(**row)
        except IntegrityError:
            return None
    transaction.on_commit(partial(enqueue, notification.pk))
    return notification


def enqueue(notification_id):
    """A queue that refuses the task leaves the row pending, for the retry command."""
    try:
        send_notification.enqueue(notification_id)
    except Exception:
        logger.exception("Could not queue notification %s; it will be retried", notification_id)


def send_pending(*, now=None):
    """Queue again every notification that is due: never queued or never sent, failed and
    waited long enough, or claimed by a worker that died (its lease is over). Returns how
    many were queued. A claim whose worker died on the last attempt is recorded as
    failed, so staff see it rather than a message "being sent" for ever."""
    now = now or timezone.now()
    Notification.objects.filter(
        status=Notification.Status.SENDING, next_attempt_at__lte=now, attempts__gte=max_attempts()
    ).update(
        status=Notification.Status.FAILED,
        last_error="The worker stopped while sending the last attempt.",
    )
    due = list(
        Notification.objects.filter(
            status__in=RETRIED_STATUSES,
            next_attempt_at__lte=now,
            attempts__lt=max_attempts(),
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)
    )
    for notification_id in due:
        enqueue(notification_id)
    return len(due)


def due_reminder(booking, now, hours_list):
    """The reminder (in hours before) due for `booking` now, or None.

    Each reminder has its window, up to the next smaller one, so a scheduler that was
    stopped for a while sends one reminder, not several. A booking made or changed after
    a reminder's time gets none for that window: its confirmation is recent enough.
    """
    for index, hours in enumerate(hours_list):
        later = hours_list[index + 1] if index + 1 < len(hours_list) else 0
        send_from = booking.start - timedelta(hours=hours)
        if send_from <= now < booking.start - timedelta(hours=later):
            return hours if booking.updated_at <= send_from else None
    return None


def send_reminders(*, now=None):
    """Queue the reminders due now, each structure's on its own schedule; safe to run as
    often as wanted, even twice at once: the unique notification row lets only one run
    send each reminder."""
    now = now or timezone.now()
    return sum(
        _send_reminders(structure, structure.reminders, now)
        for structure in Structure.objects.all()
    )


def _send_reminders(structure, hours_list, now):
    if not hours_list:
        return 0
    bookings = (
        Booking.objects.filter(
            format__structure=structure,
            status=Booking.Status.CONFIRMED,
            start__gt=now,
            start__lte=now + timedelta(hours=hours_list[0]),
            young_person__isnull=False,
        )
        .exclude(young_person__email="")
        .select_related("young_person")
    )
    queued = 0
    for booking in bookings:
        hours = due_reminder(booking, now, hours_list)
        if hours is not None and notify(booking, reminder_kind(hours)) is not None:
            queued += 1
    return queued
