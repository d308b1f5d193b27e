"""The appointment domain's models, one module per concern; all are re-exported here, so
`from booking.models import Booking` works and migrations keep their import paths.

Times are stored in UTC and computed in the structure's time zone (settings.TIME_ZONE).
"""

from .availability import Absence, AvailabilityRule, Closure, GroupSession
from .bookings import Booking, YoungPerson
from .calendars import ExternalBusyTime, ExternalCalendar
from .history import CounsellorLogEntry
from .notifications import Notification
from .offer import Counsellor, Format, Place, validate_place_kinds

__all__ = [
    "Absence",
    "AvailabilityRule",
    "Booking",
    "Closure",
    "Counsellor",
    "CounsellorLogEntry",
    "ExternalBusyTime",
    "ExternalCalendar",
    "Format",
    "GroupSession",
    "Notification",
    "Place",
    "YoungPerson",
    "validate_place_kinds",
]
