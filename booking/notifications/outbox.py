"""Messages to young people about their bookings: confirmation, move, cancellation,
reminders, by e-mail to an address and by SMS to a mobile number.

Every message is first recorded as a `Notification` row (unique per booking, kind,
revision and channel), then handed to django-tasks. So:
- the row is written in the booking's own transaction (`booking_changed` is sent inside
  it): if the process dies right after the commit, before the task was queued, the row
  is there and `send_pending_notifications` sends it; a rolled-back change records
  nothing;
- the task is queued only after the commit, so no worker looks for a row not yet
  visible;
- a failing mail server or SMS provider neither loses nor blocks a booking: the row
  stays failed and `send_pending_notifications` tries again later;
- each message is sent once, even if the reminder command runs twice at once; a worker
  killed in the middle of sending is the one case of a resend (`delivery`).

An SMS goes to a mobile number (the only kind of number we keep) when the install has a
gateway (SMS_BACKEND), the structure sends them and the person has not stopped them.
Each channel has its reminders (Structure.reminders, Structure.sms_reminders). No SMS
goes out at night: one recorded between 20:00 and 08:00 local waits for the morning.
An SMS its provider reports undelivered is sent again by e-mail, once, to someone who
also gave an address (`on_sms_undelivered`).
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from booking.models import Booking, Notification
from booking.services.sms import sms_reachable
from core.sms.hours import next_sending_time
from structures.models import Structure

from .delivery import (
    NOTIFIED_CHANGES,
    RETRIED_STATUSES,
    max_attempts,
    reminder_kind,
    send_notification,
)

logger = logging.getLogger(__name__)


EMAIL, SMS = Notification.Channel.EMAIL, Notification.Channel.SMS


def on_booking_changed(sender, booking, change, actor, **kwargs):
    """Connected in BookingConfig.ready(). Staff cancellations carry their message in
    `booking.cancellation_message`, which the e-mail quotes."""
    if change in NOTIFIED_CHANGES:
        for channel in (EMAIL, SMS):
            notify(booking, change, channel=channel, new_revision=True)


def channel_for(booking):
    """The one channel its person is told by: the one they chose (booking.services.contacts
    keeps it to a contact they gave), or e-mail when no SMS can reach them; None when
    nothing can. The structure is read only for a number: e-mails cost no query more."""
    return channel_for_person(booking.young_person, lambda: booking.structure)


def channel_for_person(person, structure):
    """`channel_for` of anything about `person` (a booking, a registration) of the
    structure `structure()` gives."""
    if person.preferred_channel == SMS and sms_reachable(person, structure()):
        return SMS
    return EMAIL if person.email else None


def notify(booking, kind, *, channel=EMAIL, new_revision=False, now=None):
    """Record the message and queue it once the current transaction commits (at once
    outside one); None if the person cannot be reached by `channel` or it was already
    recorded for this revision.

    `new_revision`: the change just raised the booking's sequence (or created it), so
    no row can exist yet: one INSERT, without the savepoint that recovers from a
    duplicate (`booking_changed` runs its receivers under its own)."""
    person = booking.young_person
    if person is None or channel_for(booking) != channel:
        return None
    row = {"booking": booking, "kind": kind, "sequence": booking.sequence, "channel": channel}
    if channel == SMS:
        now = now or timezone.now()
        row["next_attempt_at"] = next_sending_time(now, booking.structure.zone)
    return record(row, once=not new_revision)


def record(row, *, once):
    """Record the row and queue it after the commit (the one way into the outbox: the
    person's news, its e-mail in place of an undelivered SMS, an invitation); `once`:
    under a savepoint, None if the same message is already recorded."""
    if not once:
        notification = Notification.objects.create(**row)
    else:
        try:
            with transaction.atomic():
                notification = Notification.objects.create(**row)
        except IntegrityError:
            return None
    transaction.on_commit(partial(enqueue, notification.pk))
    return notification


def on_sms_undelivered(sender, notification, **kwargs):
    """Connected in BookingConfig.ready(): the SMS never reached the phone, so the same
    news goes by e-mail to a person who also gave an address, once (the row is unique
    per revision and channel, even if the provider reports twice). It is the SMS's
    revision: news a later change replaced is skipped when sent, as any other. An
    invitation has no other contact."""
    booking = notification.booking
    person = booking.young_person if booking else None
    if person is None or not person.email:
        return None
    return record(
        {
            "booking": notification.booking,
            "kind": notification.kind,
            "sequence": notification.sequence,
            "channel": EMAIL,
        },
        once=True,
    )


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
    """Queue the reminders due now, each structure's on its own schedules (one by e-mail,
    one by SMS); safe to run as often as wanted, even twice at once: the unique
    notification row lets only one run send each reminder."""
    now = now or timezone.now()
    queued = 0
    for structure in Structure.objects.select_related("site"):
        queued += _send_reminders(structure, structure.reminders, now, channel=EMAIL)
        if structure.sends_sms:
            queued += _send_reminders(structure, structure.sms_reminders, now, channel=SMS)
    return queued


def _send_reminders(structure, hours_list, now, *, channel):
    if not hours_list:
        return 0
    bookings = Booking.objects.filter(
        format__structure=structure,
        status=Booking.Status.CONFIRMED,
        start__gt=now,
        start__lte=now + timedelta(hours=hours_list[0]),
        young_person__isnull=False,
    ).select_related("young_person", "format__structure__site")
    if channel == EMAIL:
        bookings = bookings.exclude(young_person__email="")
    else:
        bookings = bookings.exclude(young_person__phone="").filter(
            young_person__sms_stopped_at__isnull=True
        )
    queued = 0
    for booking in bookings:
        hours = due_reminder(booking, now, hours_list)
        if hours is None:
            continue
        if notify(booking, reminder_kind(hours), channel=channel, now=now) is not None:
            queued += 1
    return queued
