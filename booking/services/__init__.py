"""The only code that writes bookings (and a session's seat counter).

Views, the API, the admin and commands call these functions and handle the returned
booking or the refusal (`errors`); inside its transaction, each change sends
`booking_changed` (`signals`), where notifications hang. Modules:

- `bookings`: book, move, cancel, record the outcome;
- `contacts`: normalised contact details, finding a person;
- `errors`: the refusals, each with its code and field;
- `invitations`: a counsellor's link for someone to book with them, once;
- `limits`: what one client may try (failed attempts, one slot refused again);
- `privacy`: export, erase and purge personal data (invitations included);
- `tokens`: signed manage links, and the short links of text messages;
- `sms`: what text messages say (one segment each), and who stopped them;
- `signals`: `booking_changed`, `Change` and `Actor`.
"""

from .bookings import (
    book,
    book_answered_by_email,
    book_told_on_the_page,
    cancel,
    confirm_attendance,
    mark_attended,
    mark_no_show,
    move,
)
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
    TooManyBookings,
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
    "TooManyBookings",
    "book",
    "book_answered_by_email",
    "book_told_on_the_page",
    "check_reachable",
    "choose_channel",
    "clean_home_address",
    "cancel",
    "confirm_attendance",
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
