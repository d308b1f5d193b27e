"""The appointment domain's models, one module per concern; all are re-exported here, so
`from booking.models import Booking` works and migrations keep their import paths.

Times are stored in UTC and computed in their structure's time zone; `scope` says which
structure each row belongs to.
"""

from .api_keys import ApiKey
from .availability import Absence, AvailabilityRule, Closure, GroupSession
from .bookings import Booking, YoungPerson
from .calendars import ExternalBusyTime, ExternalCalendar
from .history import CounsellorLogEntry
from .invitations import Invitation
from .notifications import Notification, ShortLink
from .offer import Counsellor, Format, Place, validate_place_kinds
from .registrations import DateMessage, EventDate, Registration, SeatPool
from .scope import has_structure, of_structure

__all__ = [
    "Absence",
    "ApiKey",
    "AvailabilityRule",
    "Booking",
    "Closure",
    "Counsellor",
    "CounsellorLogEntry",
    "DateMessage",
    "EventDate",
    "ExternalBusyTime",
    "ExternalCalendar",
    "Format",
    "GroupSession",
    "Invitation",
    "Notification",
    "Place",
    "Registration",
    "SeatPool",
    "ShortLink",
    "YoungPerson",
    "has_structure",
    "of_structure",
    "validate_place_kinds",
]
