"""Counsellors are told of the bookings, moves and cancellations concerning them, as
each chose (`Counsellor.told`): an e-mail per change, a morning digest, or nothing
but their calendar feed.

The same outbox as the young person's (outbox, delivery): a change is recorded as a
`Notification` to the counsellor in the booking's own transaction and sent once after
the commit, retried on failure, never lost if a worker dies. A counsellor who chose
the digest has the change kept ("held") for it; the digest is one row per counsellor,
structure and day, created by `send_digests` from 07:30 in the structure's time zone,
so two runs at once send it once. A member of staff is not told of their own change.
What the e-mails say: counsellor_emails.
"""

from datetime import time
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from booking.models import Booking, Counsellor, Notification
from booking.services.signals import Actor
from structures.models import Structure

from .counsellor_emails import ASSIGNED, DIGEST, WITHDRAWN
from .delivery import NOTIFIED_CHANGES
from .outbox import enqueue

DIGEST_TIME = time(7, 30)


def on_booking_changed(sender, booking, change, actor, staff_user=None, previous=None, **kwargs):
    """Connected in BookingConfig.ready(): records one row per counsellor concerned who
    wants e-mails and has an address (known from the booking's counsellor when it was
    read with its account, else one query). A move to another counsellor tells the one
    it left (at the time they had) and the one it reached."""
    if change not in NOTIFIED_CHANGES:
        return
    kinds = {booking.counsellor_id: change}
    if previous is not None and previous.counsellor_id != booking.counsellor_id:
        kinds = {previous.counsellor_id: WITHDRAWN, booking.counsellor_id: ASSIGNED}
    elif _known(booking):
        # The booking's counsellor was read with their account (the slot engine reads
        # them so): no query to know.
        counsellor = booking.counsellor
        if _wants_email(counsellor) and not _own_change(counsellor, actor, staff_user):
            _record(booking, counsellor, change, None)
        return
    told = Counsellor.objects.filter(pk__in=kinds, user__email__gt="").exclude(
        told=Counsellor.Told.NONE
    )
    if actor == Actor.STAFF and staff_user is not None:
        told = told.exclude(user=staff_user)
    for counsellor in told.order_by("pk"):
        kind = kinds[counsellor.pk]
        _record(booking, counsellor, kind, previous.start if kind == WITHDRAWN else None)


def _known(booking):
    """Whether the booking's counsellor and their account are in memory already."""
    if not Booking.counsellor.is_cached(booking):
        return False
    counsellor = booking.counsellor
    return counsellor.user_id is None or Counsellor.user.is_cached(counsellor)


def _wants_email(counsellor):
    return (
        counsellor.told != Counsellor.Told.NONE
        and counsellor.user_id is not None
        and bool(counsellor.user.email)
    )


def _own_change(counsellor, actor, staff_user):
    return actor == Actor.STAFF and staff_user is not None and counsellor.user_id == staff_user.pk


def _record(booking, counsellor, kind, previous_start):
    """The change just raised the booking's sequence (or created it): no row can exist
    yet, one INSERT."""
    held = counsellor.told == Counsellor.Told.DAILY_DIGEST
    notification = Notification.objects.create(
        booking=booking,
        counsellor=counsellor,
        kind=kind,
        sequence=booking.sequence,
        previous_start=previous_start,
        status=Notification.Status.HELD if held else Notification.Status.PENDING,
    )
    if not held:
        transaction.on_commit(partial(enqueue, notification.pk))


def digest_day(structure, now):
    """The structure's day whose digest is due at `now`, or None before 07:30 there."""
    local = timezone.localtime(now, structure.zone)
    if local.time() < DIGEST_TIME:
        return None
    return local.date()


def send_digests(*, now=None):
    """Record and queue each digest due now, once per counsellor, structure and day
    (the unique row: two runs at once send each one once). Returns how many."""
    now = now or timezone.now()
    queued = 0
    for structure in Structure.objects.all():
        day = digest_day(structure, now)
        if day is None:
            continue
        counsellors = Counsellor.objects.filter(
            structures=structure, active=True, told=Counsellor.Told.DAILY_DIGEST
        ).exclude(notifications__structure=structure, notifications__day=day)
        for counsellor in counsellors:
            queued += _record_digest(counsellor, structure, day, now)
    return queued


def _record_digest(counsellor, structure, day, now):
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                counsellor=counsellor,
                structure=structure,
                day=day,
                kind=DIGEST,
                next_attempt_at=now,
            )
    except IntegrityError:
        return 0
    transaction.on_commit(partial(enqueue, notification.pk))
    return 1
