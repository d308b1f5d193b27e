"""Reading what the slot arithmetic needs from the database, in a fixed number of queries
however many counsellors and weeks are asked for, and `find_slots`, the usual entry point.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
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

# Counted by the tests: one per table, whatever the number of counsellors or weeks.
AVAILABILITY_QUERIES = 10

# Loaded beyond the end of the range: a slot starting just before `end` still needs
# its duration and break to be free.
LONGEST_MEETING = timedelta(days=1)


def load_availability(
    *,
    start,
    end=None,
    counsellors=None,
    formats=None,
    busy_times=None,
    exclude_booking=None,
):
    """Read what `compute_slots` needs, in at most AVAILABILITY_QUERIES queries.

    `counsellors`/`formats`: iterables of instances or ids, None for every active one.
    `end` defaults to `start` plus the longest horizon of the selected formats.
    `exclude_booking`: a booking being moved must not block its own new time.
    `busy_times` are added to those read from the counsellors' external agendas.
    """
    all_formats, format_list = _formats(formats)
    if end is None:
        end = start + timedelta(days=max((f.horizon_days for f in format_list), default=0))
    counsellor_query = Counsellor.objects.filter(active=True)
    if counsellors is not None:
        counsellor_query = counsellor_query.filter(pk__in=_ids(counsellors))
    counsellor_list = list(counsellor_query)
    ids = [c.id for c in counsellor_list]
    local_tz = timezone.get_default_timezone()
    first_day = start.astimezone(local_tz).date()
    last_day = end.astimezone(local_tz).date()
    until = end + LONGEST_MEETING

    return Availability(
        counsellors=counsellor_list,
        formats=format_list,
        rules=_rules(ids, first_day, last_day),
        counsellor_format_ids=_id_sets(
            Counsellor.formats.through.objects.filter(counsellor_id__in=ids),
            "counsellor_id",
            "format_id",
        ),
        rule_format_ids=_id_sets(
            AvailabilityRule.formats.through.objects.filter(
                availabilityrule__counsellor_id__in=ids
            ),
            "availabilityrule_id",
            "format_id",
        ),
        bookings=_live_individual_bookings(ids, start, until, exclude_booking),
        absences=list(
            Absence.objects.filter(counsellor_id__in=ids, start__lt=until, end__gt=start)
        ),
        closures=list(Closure.objects.filter(start_date__lte=last_day, end_date__gte=first_day)),
        group_sessions=_group_sessions(ids, start, until, all_formats),
        busy_times=_with_external_busy_times(busy_times, ids, start, until),
        closed_on_public_holidays=settings.BOOKING_CLOSED_ON_PUBLIC_HOLIDAYS,
    )


def _formats(wanted):
    """({id: format} of every format, [the active ones asked for]), in one query.

    Inactive formats are read too: a group session blocks its counsellor for its
    format's break whether or not that format is offered here.
    """
    all_formats = {f.id: f for f in Format.objects.all()}
    ids = None if wanted is None else set(_ids(wanted))
    return all_formats, [
        f for f in all_formats.values() if f.active and (ids is None or f.id in ids)
    ]


def _rules(counsellor_ids, first_day, last_day):
    return list(
        AvailabilityRule.objects.filter(counsellor_id__in=counsellor_ids)
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


def _live_individual_bookings(counsellor_ids, start, until, exclude_booking):
    """Only what the arithmetic needs: who is busy, from when, until when (break included)."""
    bookings = (
        Booking.objects.filter(
            counsellor_id__in=counsellor_ids,
            group_session__isnull=True,
            start__lt=until,
            busy_until__gt=start,
        )
        .exclude(status__in=Booking.CANCELLED_STATUSES)
        .values_list("counsellor_id", "start", "busy_until", named=True)
    )
    if exclude_booking is not None:
        bookings = bookings.exclude(pk=exclude_booking.pk)
    return list(bookings)


def _group_sessions(counsellor_ids, start, until, all_formats):
    sessions = list(
        GroupSession.objects.filter(
            counsellor_id__in=counsellor_ids, start__lt=until, end__gt=start
        ).select_related("place")
    )
    for session in sessions:
        session.format = all_formats[session.format_id]
    return sessions


def _with_external_busy_times(busy_times, counsellor_ids, start, until):
    """The caller's busy times plus those last read from the counsellors' own agendas
    (booking.calendars.agenda_import), in one query."""
    merged = defaultdict(list)
    for counsellor_id, intervals in (busy_times or {}).items():
        merged[counsellor_id].extend(intervals)
    for counsellor_id, busy_start, busy_end in ExternalBusyTime.objects.filter(
        calendar__counsellor_id__in=counsellor_ids, start__lt=until, end__gt=start
    ).values_list("calendar__counsellor_id", "start", "end"):
        merged[counsellor_id].append((busy_start, busy_end))
    return merged


def find_slots(
    *,
    now=None,
    start=None,
    end=None,
    counsellors=None,
    formats=None,
    first_meeting=None,
    busy_times=None,
):
    """The usual entry point: free slots from `start` (default now) to `end` (default the
    longest horizon), for the given counsellors and formats (default: every active one)."""
    now = now or timezone.now()
    start = max(start or now, now)
    availability = load_availability(
        start=start, end=end, counsellors=counsellors, formats=formats, busy_times=busy_times
    )
    if end is None:
        end = start + timedelta(days=max((f.horizon_days for f in availability.formats), default=0))
    return compute_slots(availability, now=now, start=start, end=end, first_meeting=first_meeting)


def _ids(items):
    return [getattr(item, "pk", item) for item in items]
