"""The only code that writes bookings (and a session's seat counter).

Views, the API, the admin and commands call these functions and handle the returned
booking or the refusal (`errors`); inside its transaction, each change sends
`booking_changed` (`signals`), where notifications hang. Modules:

- `bookings`: book, move, cancel, record the outcome;
- `contacts`: normalised contact details, finding a person;
- `errors`: the refusals, each with its code and field;
- `privacy`: export, erase and purge personal data;
- `tokens`: signed manage links;
- `signals`: `booking_changed`, `Change` and `Actor`.
"""

from .bookings import book, book_answered_by_email, cancel, mark_attended, mark_no_show, move
from .contacts import (
    FIRST_NAME_MAX_LENGTH,
    check_reachable,
    choose_channel,
    clean_home_address,
    find_or_create_person,
    find_person,
    is_first_meeting,
    normalise_contact,
    normalise_email,
    normalise_phone,
)
from .errors import (
    AlreadyBooked,
    BookingError,
    InvalidContact,
    InvalidDetails,
    InvalidTransition,
    MeetingStageMismatch,
    SlotTaken,
    SlotUnavailable,
)
from .signals import Actor, Change

__all__ = [
    "FIRST_NAME_MAX_LENGTH",
    "Actor",
    "AlreadyBooked",
    "BookingError",
    "Change",
    "InvalidContact",
    "InvalidDetails",
    "InvalidTransition",
    "MeetingStageMismatch",
    "SlotTaken",
    "SlotUnavailable",
    "book",
    "book_answered_by_email",
    "check_reachable",
    "choose_channel",
    "clean_home_address",
    "cancel",
    "find_or_create_person",
    "find_person",
    "is_first_meeting",
    "mark_attended",
    "mark_no_show",
    "move",
    "normalise_contact",
    "normalise_email",
    "normalise_phone",
]
