"""Signed links that let someone without an account see, move or cancel one booking.

The token carries the booking's UUID and the revision (`sequence`) it was made for, signed
with SECRET_KEY (rotate with SECRET_KEY_FALLBACKS). It is valid until one day after the
appointment ends, and never longer than BOOKING_MANAGE_LINK_MAX_AGE after it was made.

A link made before a change (a move, a staff cancellation) keeps working for its own
booking, and shows the booking as it is now: people who gave only a phone number never
receive a newer link, and a cancelled appointment must say "cancelled", not "invalid
link". Forms opened from it carry the revision they showed, so acting on an outdated
page is refused (booking.web.views).

A text message has no room for a token: it carries a short link, /r/<code>
(`short_url`), which redirects to a manage link signed at that moment and lives as
long as one would (`read_short_code`).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from booking.models import Booking, Registration, ShortLink

SALT = "booking.manage"
REGISTRATION_SALT = "booking.registration"
# On a manage link, asks for the one-tap "I'm coming / I can't come" of the reminders.
REMINDER_PARAMETER = "rappel"
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


@dataclass(frozen=True)
class RegistrationLink:
    registration: Registration
    sequence: int
    # Sent to the person's contact (an e-mail, an SMS), not given on the page right
    # after registering: only such a link may list their other registrations, since
    # anyone can type someone else's address in the form.
    sent: bool = False


def make_registration_token(registration, *, sent=False):
    """The manage link of a registration, for the revision it shows (an offer's own
    answers are refused once it changed: `services.registrations.accept_offer`);
    `sent`: for a message to the person's contact."""
    payload = {"r": registration.uuid.hex, "s": registration.sequence}
    if sent:
        payload["m"] = 1
    return signing.dumps(payload, salt=REGISTRATION_SALT)


def read_registration_token(token, structure, *, now=None):
    """The RegistrationLink for `token`, on the manage link's terms: a registration of
    `structure`, until a day after its date ends; raises InvalidLink or ExpiredLink."""
    try:
        payload = signing.loads(token, salt=REGISTRATION_SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise ExpiredLink from None
    except signing.BadSignature:
        raise InvalidLink from None
    try:
        registration = Registration.objects.select_related(
            "date__structure__site", "date__event", "pool", "young_person"
        ).get(uuid=payload["r"], date__structure=structure)
        sequence = int(payload["s"])
    except (Registration.DoesNotExist, KeyError, TypeError, ValueError, ValidationError):
        raise InvalidLink from None
    if (now or timezone.now()) > registration.date.end + GRACE_AFTER_END:
        raise ExpiredLink
    return RegistrationLink(
        registration=registration, sequence=sequence, sent=payload.get("m") == 1
    )


def short_url(booking, *, reminder=False):
    """The booking's short link on its structure's site, made once per use (a resend
    carries the same link); `reminder`: the one that opens the one-tap answers."""
    link, _created = ShortLink.objects.get_or_create(booking=booking, reminder=reminder)
    return f"{booking.structure.public_url}/r/{link.code}"


def registration_short_url(registration):
    """The registration's short link, for its SMS: one, opening its manage page."""
    link, _created = ShortLink.objects.get_or_create(registration=registration)
    return f"{registration.structure.public_url}/r/{link.code}"


def read_short_code(code, structure, *, now=None):
    """The ShortLink for `code`, of a booking or a registration of `structure`; raises
    InvalidLink or ExpiredLink on the manage link's terms (made more than
    BOOKING_MANAGE_LINK_MAX_AGE ago, or a day after the appointment or the date)."""
    link = (
        ShortLink.objects.select_related("booking__format__structure__site", "registration__date")
        .filter(
            Q(booking__format__structure=structure) | Q(registration__date__structure=structure),
            code=code,
        )
        .first()
    )
    if link is None:
        raise InvalidLink
    now = now or timezone.now()
    end = (link.booking or link.registration.date).end
    if now > end + GRACE_AFTER_END or now > link.created_at + max_age():
        raise ExpiredLink
    return link
