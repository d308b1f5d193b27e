"""Why a booking or a change was refused.

Each refusal has a stable `code` (for the API and logs), the `field` it concerns
(`slot`, `place`, `format`, or a field of the details form; None when it concerns the
booking as a whole) and a `message` in plain words for young people. Callers map the
field to their own step or API field, never the message.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class BookingError(Exception):
    """Base of every refusal. `message` is lazy: render it in the request's language."""

    code = "booking_error"
    field = None
    # Set by `bookings.book` on a refusal made once the person's past bookings counted,
    # which only the contact may learn (`contacts.history_decides`).
    after_history = False
    default_message = _("This booking could not be made.")

    def __init__(self, message=None, *, field=None):
        self.message = message or self.default_message
        if field is not None:
            self.field = field
        super().__init__(str(self.message))


class SlotTaken(BookingError):
    """Someone else booked this time (or the last seat) since it was shown."""

    code = "slot_taken"
    field = "slot"
    default_message = _("This time was just taken. Please choose another one.")


class SlotUnavailable(BookingError):
    """The time is not offered: `reason` says why."""

    code = "slot_unavailable"
    field = "slot"
    PAST = "past"
    TOO_SOON = "too_soon"
    BEYOND_HORIZON = "beyond_horizon"
    OUTSIDE_AVAILABILITY = "outside_availability"
    MESSAGES = {
        PAST: _("This time has already passed. Please choose another one."),
        TOO_SOON: _("This time is too close to book online. Please choose a later one."),
        BEYOND_HORIZON: _("This time is too far ahead to book yet. Please choose an earlier one."),
        OUTSIDE_AVAILABILITY: _("This time is not offered. Please choose another one."),
    }

    def __init__(self, reason):
        self.reason = reason
        super().__init__(self.MESSAGES[reason])

    @classmethod
    def message_for(cls, reason):
        return cls.MESSAGES[reason]


class MeetingStageMismatch(BookingError):
    """The format (field "format") or the place (field "place") does not suit a first
    meeting, or a follow-up."""

    code = "meeting_stage"
    field = "format"
    FIRST_ONLY = _("This way of meeting is for a first meeting. Please choose another one.")
    FOLLOW_UP_ONLY = _(
        "This way of meeting is for people who have already met us. Please choose another one."
    )
    NOT_AT_HOME = _("A first meeting never takes place at home. Please choose another place.")
    HOME_VISIT_TOO_EARLY = _(
        "At this time, your meeting at home would come before any other meeting with us, "
        "and a first meeting never takes place at home. Please choose a later time."
    )
    HOME_VISIT_LEFT_FIRST = _(
        "At this time, this meeting would come after your meeting at home, which would "
        "then be your first, and a first meeting never takes place at home. Please "
        "choose an earlier time."
    )


class AlreadyBooked(BookingError):
    code = "already_booked"
    field = "slot"
    default_message = _("You already have a place in this session.")


class TooManyBookings(BookingError):
    """The person already holds as many appointments to come as the structure allows."""

    code = "too_many_bookings"

    def __init__(self, limit):
        self.limit = limit
        super().__init__(
            ngettext_lazy(
                "You already have %(limit)s appointment to come with us. To book another "
                "one, cancel or move it with the link in its message, or contact us.",
                "You already have %(limit)s appointments to come with us. To book another "
                "one, cancel or move one of them with the link in its message, or contact us.",
                "limit",
            )
            % {"limit": limit}
        )


class InvalidDetails(BookingError):
    """Something the person typed is missing or wrong; `field` names the form field."""

    code = "invalid_details"

    def __init__(self, message, *, field):
        super().__init__(message, field=field)


class InvalidContact(InvalidDetails):
    code = "invalid_contact"


class InvitationUnusable(BookingError):
    """The invitation was used meanwhile (another tab), expired, or names another
    counsellor or format: the person books like anyone else."""

    code = "invitation_unusable"
    default_message = _(
        "This invitation has already been used or has expired. You can still book below."
    )


class InvalidTransition(BookingError):
    """The booking is not in a state that allows this change."""

    code = "invalid_transition"
    NOT_CONFIRMED = _("This appointment is already cancelled or over.")
    STARTED = _("This appointment has already started.")
    NOT_STARTED = _("This appointment has not started yet.")


class RegistrationClosed(BookingError):
    """The event takes no registration for this date (or mode) now."""

    code = "registration_closed"
    field = "occurrence"
    default_message = _("Registration for this date is closed. Please choose another date.")


class EventFull(BookingError):
    """No seat left and, this close to the start, no waiting list."""

    code = "event_full"
    field = "occurrence"
    default_message = _(
        "This date is full and starts soon: there is no waiting list any more. "
        "Please choose another date."
    )


class AlreadyRegistered(BookingError):
    code = "already_registered"
    field = "occurrence"
    default_message = _(
        "You are already registered for this date: the link in your message lets you "
        "see or cancel it."
    )


class OfferUnavailable(BookingError):
    """The offer was answered, has expired or was withdrawn: an old link is never a seat."""

    code = "offer_unavailable"
    default_message = _(
        "This offer is no longer valid: it has already been answered, or its time to "
        "answer is over."
    )
