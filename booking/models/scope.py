"""Which structure each table's rows belong to, so any query can be narrowed to one:
directly (places, formats, closures, people), through the counsellor's structures, or
through the row a booking or an opening hour depends on."""

from .api_keys import ApiKey
from .availability import Absence, AvailabilityRule, Closure, GroupSession
from .bookings import Booking, YoungPerson
from .calendars import ExternalCalendar
from .invitations import Invitation
from .notifications import ShortLink
from .offer import Counsellor, Format, Place
from .registrations import EventDate, Registration, SeatPool

STRUCTURE_LOOKUPS = {
    Place: "structure",
    Format: "structure",
    Closure: "structure",
    YoungPerson: "structure",
    ApiKey: "structure",
    Counsellor: "structures",
    AvailabilityRule: "place__structure",
    GroupSession: "format__structure",
    Booking: "format__structure",
    Invitation: "format__structure",
    EventDate: "structure",
    SeatPool: "date__structure",
    Registration: "date__structure",
    ShortLink: "booking__format__structure",
    # A counsellor's absences and agendas count in every structure they work for.
    Absence: "counsellor__structures",
    ExternalCalendar: "counsellor__structures",
}


def has_structure(model):
    return model in STRUCTURE_LOOKUPS


def of_structure(queryset, structure):
    """`queryset` narrowed to the rows of `structure` (distinct: a counsellor may work
    for several)."""
    lookup = STRUCTURE_LOOKUPS[queryset.model]
    rows = queryset.filter(**{lookup: structure})
    return rows.distinct() if lookup.startswith("counsellor__") or lookup == "structures" else rows
