"""Reading what the slot arithmetic needs from the database, in a fixed number of queries
however many counsellors and weeks are asked for, and `find_slots`, the usual entry point.
"""

from collections import defaultdict, namedtuple
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from booking.models import (
    Absence,
    AvailabilityRule,
    Booking,
    Closure,
    Counsellor,
    ExternalBusyTime,
    Format,
    GroupSession,
)

from .slots import Availability, compute_slots

# Counted by the tests, whatever the number of counsellors or weeks: one per table, busy
# times (bookings, absences, external agendas) together, formats given as instances none.
AVAILABILITY_QUERIES = 8

# What the arithmetic reads of a live booking, and of an absence or an external busy time.
BookingRow = namedtuple("BookingRow", ["counsellor_id", "start", "busy_until"])
BusyRow = namedtuple("BusyRow", ["counsellor_id", "start", "end"])

# What `load_slot_availability` costs, whatever the number of counsellors: the rules
# that open that day (with the day's closures), then everything busy at that time.
SLOT_QUERIES = 2

# Loaded beyond the end of the range: a slot starting just before `end` still needs
# its duration and break to be free.
LONGEST_MEETING = timedelta(days=1)


def load_availability(
    structure,
    *,
    start,
    end=None,
    counsellors=None,
    formats=None,
    busy_times=None,
    exclude_booking=None,
):
    """Read what `compute_slots` needs of `structure`, in at most AVAILABILITY_QUERIES
    queries: its formats, counsellors, opening hours (at its places), closures, public
    holidays and time zone. What keeps its counsellors busy counts wherever it is
    booked: another structure's meeting, session or absence is busy time here too.

    `counsellors`/`formats`: iterables of instances or ids, None for every active one.
    `end` defaults to `start` plus the longest horizon of the selected formats.
    `exclude_booking`: a booking being moved must not block its own new time.
    `busy_times` are added to those read from the counsellors' external agendas.
    """
    format_list = _formats(structure, formats)
    if end is None:
        end = start + timedelta(days=max((f.horizon_days for f in format_list), default=0))
    counsellor_query = Counsellor.objects.filter(active=True, structures=structure)
    if counsellors is not None:
        counsellor_query = counsellor_query.filter(pk__in=_ids(counsellors))
    counsellor_list = list(counsellor_query)
    ids = [c.id for c in counsellor_list]
    local_tz = structure.zone
    first_day = start.astimezone(local_tz).date()
    last_day = end.astimezone(local_tz).date()
    until = end + LONGEST_MEETING

    return Availability(
        counsellors=counsellor_list,
        formats=format_list,
        rules=_rules(structure, ids, first_day, last_day),
        counsellor_format_ids=_id_sets(
            Counsellor.formats.through.objects.filter(counsellor_id__in=ids),
            "counsellor_id",
            "format_id",
        ),
        rule_format_ids=_id_sets(
            AvailabilityRule.formats.through.objects.filter(
                availabilityrule__counsellor_id__in=ids,
                availabilityrule__place__structure=structure,
            ),
            "availabilityrule_id",
            "format_id",
        ),
        **_busy(ids, start, until, exclude_booking, busy_times),
        closures=list(
            Closure.objects.filter(
                structure=structure, start_date__lte=last_day, end_date__gte=first_day
            )
        ),
        group_sessions=list(
            GroupSession.objects.with_seats()
            .filter(counsellor_id__in=ids, start__lt=until, end__gt=start)
            .select_related("place", "format")
        ),
        **_region(structure),
    )


def _region(structure):
    """What of the structure the arithmetic needs: its holidays and its wall clock."""
    return {
        "closed_on_public_holidays": settings.BOOKING_CLOSED_ON_PUBLIC_HOLIDAYS,
        "holiday_region": structure.holidays_region,
        "zone": structure.zone,
    }


def _formats(structure, wanted):
    """The structure's active formats asked for: those given as instances as they are,
    else read in one query (every active one for None)."""
    if wanted is not None and all(isinstance(f, Format) for f in wanted):
        return [f for f in wanted if f.active and f.structure_id == structure.pk]
    formats = Format.objects.filter(active=True, structure=structure)
    return list(formats if wanted is None else formats.filter(pk__in=_ids(wanted)))


def _rules(structure, counsellor_ids, first_day, last_day):
    return list(
        AvailabilityRule.objects.filter(
            counsellor_id__in=counsellor_ids, place__structure=structure
        )
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last_day))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=first_day))
        .select_related("place")
    )


def _id_sets(links, key, value):
    """{key id: {value ids}} from the rows of a many-to-many table, in one query."""
    sets = defaultdict(set)
    for key_id, value_id in links.values_list(key, value):
        sets[key_id].add(value_id)
    return sets


def _busy(counsellor_ids, start, until, exclude_booking, busy_times, *, sessions=False):
    """The `bookings`, `absences` and `busy_times` of an Availability, in one query.

    Of bookings, only what the arithmetic needs: who is busy, from when, until when
    (break included). `busy_times` adds the caller's to those last read from the
    counsellors' own agendas (booking.calendars.agenda_import), and with `sessions` the
    group sessions with their break, for a check that needs them only as busy times.
    """
    bookings = (
        Booking.objects.filter(
            counsellor_id__in=counsellor_ids,
            group_session__isnull=True,
            start__lt=until,
            busy_until__gt=start,
        )
        .exclude(status__in=Booking.CANCELLED_STATUSES)
        .annotate(kind=Value("booking"))
    )
    if exclude_booking is not None:
        bookings = bookings.exclude(pk=exclude_booking.pk)
    absences = Absence.objects.filter(
        counsellor_id__in=counsellor_ids, start__lt=until, end__gt=start
    ).annotate(kind=Value("absence"))
    external = ExternalBusyTime.objects.filter(
        calendar__counsellor_id__in=counsellor_ids, start__lt=until, end__gt=start
    ).annotate(kind=Value("external"))
    no_break = Value(0)
    others = [
        absences.order_by().values_list("counsellor_id", "start", "end", "kind", no_break),
        external.order_by().values_list(
            "calendar__counsellor_id", "start", "end", "kind", no_break
        ),
    ]
    if sessions:
        group = GroupSession.objects.filter(
            counsellor_id__in=counsellor_ids, start__lt=until, end__gt=start - LONGEST_MEETING
        ).annotate(kind=Value("session"))
        others.append(
            group.order_by().values_list(
                "counsellor_id", "start", "end", "kind", "format__buffer_after_minutes"
            )
        )
    rows = (
        bookings.order_by()
        .values_list("counsellor_id", "start", "busy_until", "kind", no_break)
        .union(*others, all=True)
    )
    found = {"booking": [], "absence": [], "external": [], "session": []}
    for *interval, kind, break_minutes in rows:
        row = (BookingRow if kind == "booking" else BusyRow)(*interval)
        if kind == "session":
            row = row._replace(end=row.end + timedelta(minutes=break_minutes))
        found[kind].append(row)
    merged = defaultdict(list)
    for counsellor_id, intervals in (busy_times or {}).items():
        merged[counsellor_id].extend(intervals)
    for row in found["external"] + found["session"]:
        merged[row.counsellor_id].append((row.start, row.end))
    return {"bookings": found["booking"], "absences": found["absence"], "busy_times": merged}


def load_slot_availability(
    structure,
    *,
    format,
    start,
    place,
    counsellors=None,
    busy_times=None,
    exclude_booking=None,
    upcoming_from=None,
):
    """What `compute_slots` needs to judge one individual slot of `format` (an instance)
    at `place` from `start`, in SLOT_QUERIES queries: the booking re-checks one time, so
    it reads only the rules that open that day there for that format, and what is busy
    in that slot with its break, not a week. Group sessions count only as busy times.

    `counsellors`, `busy_times` and `exclude_booking` as in `load_availability`. With
    `upcoming_from`, each counsellor gets `upcoming_bookings`, how many confirmed
    bookings they have from then, read with the rules, for "the first available" to
    spread the load.
    """
    local_tz = structure.zone
    day = start.astimezone(local_tz).date()
    until = start + timedelta(minutes=format.duration_minutes + format.buffer_after_minutes)
    rules = (
        AvailabilityRule.objects.filter(
            Q(formats=format) | Q(formats__isnull=True),
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            place=place,
            place__structure=structure,
            counsellor__active=True,
            counsellor__formats=format,
            counsellor__structures=structure,
        )
        # The counsellor with their account: whether to tell them of the booking is
        # then known without a query (booking.notifications.counsellors).
        .select_related("place", "counsellor__user")
        .annotate(day_closed=Exists(_closures_on(structure, day)))
    )
    if counsellors is not None:
        rules = rules.filter(counsellor_id__in=_ids(counsellors))
    if upcoming_from is not None:
        rules = rules.annotate(upcoming=_upcoming(upcoming_from))
    rules = list(rules)
    for rule in rules:
        if upcoming_from is not None:
            rule.counsellor.upcoming_bookings = rule.upcoming
    counsellor_list = list({rule.counsellor_id: rule.counsellor for rule in rules}.values())
    ids = [c.id for c in counsellor_list]
    return Availability(
        counsellors=counsellor_list,
        formats=[format],
        rules=rules,
        # The rules read offer `format`, to counsellors who offer it.
        counsellor_format_ids={counsellor_id: {format.id} for counsellor_id in ids},
        **_busy(ids, start, until, exclude_booking, busy_times, sessions=True),
        closures=_closed(day) if any(rule.day_closed for rule in rules) else [],
        **_region(structure),
    )


def load_session_availability(structure, session_id, *, person=None):
    """(the group session, what `compute_slots` needs to judge it), in one query: the
    session with its format, place and counsellor, whether its day is closed and its
    counsellor absent then; `held` (with `person`), whether they already have a seat.
    Raises GroupSession.DoesNotExist, for another structure's session too."""
    local_tz = structure.zone
    sessions = GroupSession.objects.with_seats().filter(format__structure=structure)
    sessions = sessions.select_related("format", "place", "counsellor__user").annotate(
        day=TruncDate("start", tzinfo=local_tz),
        day_closed=Exists(
            Closure.objects.filter(
                structure=structure, start_date__lte=OuterRef("day"), end_date__gte=OuterRef("day")
            )
        ),
        absent=Exists(
            Absence.objects.filter(
                counsellor_id=OuterRef("counsellor_id"),
                start__lt=OuterRef("end"),
                end__gt=OuterRef("start"),
            )
        ),
    )
    if person is not None:
        sessions = sessions.annotate(
            held=Exists(
                Booking.objects.filter(group_session=OuterRef("pk"), young_person=person).exclude(
                    status__in=Booking.CANCELLED_STATUSES
                )
            )
        )
    session = sessions.get(pk=session_id)
    availability = Availability(
        counsellors=[session.counsellor],
        formats=[session.format],
        group_sessions=[session],
        # An absence overlapping the session cancels it, as the absence itself would.
        absences=[_absence_over(session)] if session.absent else [],
        closures=_closed(session.day) if session.day_closed else [],
        **_region(structure),
    )
    return session, availability


def _absence_over(session):
    return Absence(counsellor_id=session.counsellor_id, start=session.start, end=session.end)


def _upcoming(now):
    """The rule's counsellor's confirmed bookings from `now`, counted in a subquery."""
    confirmed = Booking.objects.filter(
        counsellor_id=OuterRef("counsellor_id"), status=Booking.Status.CONFIRMED, start__gte=now
    )
    count = confirmed.order_by().values("counsellor_id").annotate(count=Count("pk"))
    return Coalesce(Subquery(count.values("count")), 0)


def _closures_on(structure, day):
    return Closure.objects.filter(structure=structure, start_date__lte=day, end_date__gte=day)


def _closed(day):
    """The closures of a one-day check, as read in an Exists: that day, closed."""
    return [Closure(start_date=day, end_date=day)]


def find_slots(
    structure,
    *,
    now=None,
    start=None,
    end=None,
    counsellors=None,
    formats=None,
    first_meeting=None,
    busy_times=None,
    within_limits=True,
):
    """The usual entry point: `structure`'s free slots from `start` (default now) to `end`
    (default the longest horizon), for the given counsellors and formats (default: every
    active one). `within_limits`: as in `compute_slots`."""
    now = now or timezone.now()
    start = max(start or now, now)
    availability = load_availability(
        structure,
        start=start,
        end=end,
        counsellors=counsellors,
        formats=formats,
        busy_times=busy_times,
    )
    if end is None:
        end = start + timedelta(days=max((f.horizon_days for f in availability.formats), default=0))
    return compute_slots(
        availability,
        now=now,
        start=start,
        end=end,
        first_meeting=first_meeting,
        within_limits=within_limits,
    )


def _ids(items):
    return [getattr(item, "pk", item) for item in items]
