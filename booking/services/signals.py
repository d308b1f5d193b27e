"""The one place to hook notifications (e-mails, calendar updates) onto booking changes.

The services send `booking_changed` after the transaction that made the change has
committed, never for a change that was rolled back, whoever made it (website, API,
staff). Receivers get `booking`, `change` (a `Change`) and `actor` (an `Actor`).
A failing receiver is logged and does not undo or hide the booking.

`Change` is the one vocabulary of what happens to a booking: notification kinds are
its values.
"""

import logging
from enum import StrEnum

from django.dispatch import Signal

from booking.models import Booking

logger = logging.getLogger(__name__)

booking_changed = Signal()


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


def send_booking_changed(booking, change, actor):
    for receiver, result in booking_changed.send_robust(
        sender=Booking, booking=booking, change=change, actor=actor
    ):
        if isinstance(result, Exception):
            logger.error(
                "booking_changed receiver %r failed for booking %s",
                receiver,
                booking.uuid,
                exc_info=result,
            )
