"""The one place to hook notifications (e-mails, calendar updates) onto booking changes.

The services send `booking_changed` inside the transaction that makes the change, once
it is written, whoever made it (website, API, staff). Receivers get `booking`, `change`
(a `Change`), `actor` (an `Actor`), `staff_user` (the member of staff who made it, when
known: a counsellor is not told of their own change) and `previous` (for a move, the
booking as it was before: its counsellor and time; else None). What a receiver writes
to the database commits or rolls back with the change: a process that dies just
after the commit cannot lose it (the notifications outbox). Anything outside the
database (a task, a message) must wait for the commit: `transaction.on_commit`. A
failing receiver is logged, and the receivers' writes for that change are undone,
never the booking itself.

`Change` is the one vocabulary of what happens to a booking: notification kinds are
its values.
"""

import logging
from enum import StrEnum

from django.db import transaction
from django.dispatch import Signal

from booking.models import Booking, Registration

logger = logging.getLogger(__name__)

booking_changed = Signal()

# Sent by `bookings.book_answered_by_email` (for the website and the API) when a booking
# whose outcome only the contact may learn (`contacts.history_decides`) is refused, so
# that they are told by e-mail.
# Receivers get `email`, `error` (a BookingError), `start`, `format`, `place` and
# `again_url` (where to choose again).
booking_refused = Signal()

# Sent by `registrations` inside the transaction of each change of a registration to an
# event date, like `booking_changed`. Receivers get `registration` (its `date`, `pool`
# and `young_person` read), `change` (a `RegistrationChange`) and `actor`.
registration_changed = Signal()

# Sent by `registrations.register_answered_privately` when a contact who asked to
# register is already registered for that date: the page said nothing of it, so they
# are told by e-mail, or by SMS for a number alone. Receivers get `registration` (the
# one they hold) and `email` or `phone` (normalised; the other empty).
already_registered = Signal()

# Sent by `registrations.message_registrants` in its transaction: receivers get
# `message` (a DateMessage) and `registrations` (those told, each locked and read as
# for `registration_changed`), and record one message each.
registrants_messaged = Signal()

# Sent by `invitations.invite` in the invitation's transaction, like `booking_changed`.
# Receivers get `invitation` and record its message on `invitation.channel`.
invitation_sent = Signal()

# Sent by `sms.record_report`, in its transaction, when the provider reports for the
# first time that an SMS never reached the phone. Receivers get `notification` (its
# `booking` and `young_person` loaded).
sms_undelivered = Signal()

# What other apps keep about young people's registrations (the event days' wishes and
# schedules) follows `privacy`, without booking importing them. Asked by
# `privacy.export_person`: receivers get `person` and return a dict of JSON-ready data,
# added to the export.
person_exported = Signal()
# Sent by `privacy` in its transaction, before registrations lose their link to the
# person (erased, or purged): receivers get `registrations` (a queryset) and delete or
# empty what they keep about them. Not sent robustly: a receiver's failure undoes the
# erasure or the purge rather than leave data behind.
registrations_anonymised = Signal()
# Sent by `privacy.purge` in its transaction: receivers get `structure` and `cutoff` and
# purge what they keep of that structure's past from before it.
structure_purged = Signal()


class Actor(StrEnum):
    """Who made the change: the young person (by link, website, API) or the structure."""

    PERSON = "person"
    STAFF = "staff"


class Change(StrEnum):
    BOOKED = "booked"
    MOVED = "moved"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class RegistrationChange(StrEnum):
    """What happens to a registration; the notification kinds of those told."""

    CONFIRMED = "reg_confirmed"  # registered with a seat, offer taken, or auto-confirmed
    WAITING = "reg_waiting"
    OFFERED = "reg_offered"
    DECLINED = "reg_declined"
    EXPIRED = "reg_expired"
    CANCELLED = "reg_cancelled"
    MOVED = "reg_moved"
    EVENT_CANCELLED = "reg_event_cancelled"
    ATTENDED = "reg_attended"
    NO_SHOW = "reg_no_show"
    CHECK_IN_UNDONE = "reg_check_in_undone"  # present or absent recorded by mistake
    MESSAGE = "reg_message"  # staff's message to everyone registered for the date
    # By SMS to a number that asked to register again (`already_registered`).
    ALREADY_REGISTERED = "reg_already_registered"


def send_booking_changed(booking, change, actor, *, staff_user=None, previous=None):
    """Called by the services inside their transaction."""
    _send_under_savepoint(
        booking_changed,
        "booking_changed",
        f"booking {booking.uuid}",
        sender=Booking,
        booking=booking,
        change=change,
        actor=actor,
        staff_user=staff_user,
        previous=previous,
    )


def send_registration_changed(registration, change, actor):
    """Called by the registration services inside their transaction."""
    _send_under_savepoint(
        registration_changed,
        "registration_changed",
        f"registration {registration.uuid}",
        sender=Registration,
        registration=registration,
        change=change,
        actor=actor,
    )


def send_registrants_messaged(message, registrations):
    """Called by `registrations.message_registrants` inside its transaction."""
    _send_under_savepoint(
        registrants_messaged,
        "registrants_messaged",
        f"message {message.pk}",
        sender=Registration,
        message=message,
        registrations=registrations,
    )


def _send_under_savepoint(signal, name, about, **arguments):
    """The receivers run under a savepoint: after a failure (even a database error,
    which would otherwise abort the whole transaction on PostgreSQL) it is rolled back
    and the change commits alone."""
    savepoint = transaction.savepoint()
    failed = False
    for receiver, result in signal.send_robust(**arguments):
        if isinstance(result, Exception):
            failed = True
            logger.error("%s receiver %r failed for %s", name, receiver, about, exc_info=result)
    if failed:
        # A receiver's failed query (one without a savepoint of its own) marked the
        # whole transaction for rollback: the savepoint is the known-good point to go
        # back to, so the change itself stays.
        transaction.set_rollback(False)
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)


def send_booking_refused(email, error, **request):
    for receiver, result in booking_refused.send_robust(
        sender=Booking, email=email, error=error, **request
    ):
        if isinstance(result, Exception):
            logger.error(
                "booking_refused receiver %r failed (%s)", receiver, error.code, exc_info=result
            )


def send_already_registered(registration, *, email="", phone=""):
    for receiver, result in already_registered.send_robust(
        sender=Registration, registration=registration, email=email, phone=phone
    ):
        if isinstance(result, Exception):
            logger.error(
                "already_registered receiver %r failed for registration %s",
                receiver,
                registration.uuid,
                exc_info=result,
            )


def send_invitation_sent(invitation):
    _send_under_savepoint(
        invitation_sent,
        "invitation_sent",
        f"invitation {invitation.pk}",
        sender=type(invitation),
        invitation=invitation,
    )


def send_sms_undelivered(notification):
    """Like `send_booking_changed`: a failing receiver is logged and its writes undone,
    never the delivery state."""
    _send_under_savepoint(
        sms_undelivered,
        "sms_undelivered",
        f"notification {notification.pk}",
        sender=type(notification),
        notification=notification,
    )
