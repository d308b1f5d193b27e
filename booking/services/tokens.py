"""Signed links that let someone without an account see, move or cancel one booking.

The token carries the booking's UUID and the revision (`sequence`) it was made for, signed
with SECRET_KEY (rotate with SECRET_KEY_FALLBACKS). It is valid until one day after the
appointment ends, and never longer than BOOKING_MANAGE_LINK_MAX_AGE after it was made.

A link made before a change (a move, a staff cancellation) keeps working for its own
booking, and shows the booking as it is now: people who gave only a phone number never
receive a newer link, and a cancelled appointment must say "cancelled", not "invalid
link". Forms opened from it carry the revision they showed, so acting on an outdated
page is refused (booking.web.views).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from booking.models import Booking

SALT = "booking.manage"
GRACE_AFTER_END = timedelta(days=1)


class InvalidLink(Exception):
    """Tampered, truncated or unknown: shown as "this link does not work" (404)."""


class ExpiredLink(Exception):
    """Genuine but too old: shown as "this link has expired" (410)."""


@dataclass(frozen=True)
class ManageLink:
    booking: Booking
    sequence: int

    @property
    def outdated(self):
        """The booking changed since this link was made."""
        return self.sequence < self.booking.sequence


def max_age():
    return settings.BOOKING_MANAGE_LINK_MAX_AGE


def make_token(booking):
    return signing.dumps({"b": booking.uuid.hex, "s": booking.sequence}, salt=SALT)


def read_token(token, structure, *, now=None):
    """The ManageLink for `token`, a booking of `structure` (the site the link is opened
    on: another structure's booking is not found there); raises InvalidLink or
    ExpiredLink."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise ExpiredLink from None
    except signing.BadSignature:
        raise InvalidLink from None
    try:
        booking = Booking.objects.select_related(
            "counsellor", "format__structure__site", "place", "group_session", "young_person"
        ).get(uuid=payload["b"], format__structure=structure)
        sequence = int(payload["s"])
    except (Booking.DoesNotExist, KeyError, TypeError, ValueError, ValidationError):
        raise InvalidLink from None
    if (now or timezone.now()) > booking.end + GRACE_AFTER_END:
        raise ExpiredLink
    return ManageLink(booking=booking, sequence=sequence)
