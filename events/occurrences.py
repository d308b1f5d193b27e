"""Turn an event's dates into concrete time slots.

An event has explicit dated rows (``event.occurrences``) and, optionally, a recurrence
(django-recurrence rules, extra dates and excluded dates) that only says *which days*:
the hours come from ``recurrence_start_time``/``recurrence_end_time``, wall-clock times
in the site's time zone. Combining each day with those times, rather than adding a
duration to a UTC instant, keeps an open day at 14:00 on both sides of a DST change.

The widget stores a picked date as the editor's local midnight in UTC, so every
recurrence date is compared by its local calendar day; an excluded date (EXDATE) thus
removes that day whatever the time stored. core.recurrence does that expansion, the same
one as for booking's opening hours. An explicit row starting at the same instant
as a recurring one replaces it (it may carry a note), so a single date can be annotated
without leaving the series; a row with ``replaces_date`` moves that day's recurring date
to the row's own start and end (the calendar files write it as a RECURRENCE-ID of the
rule, or as that day's own event), so the page and the .ics agree that the old slot is
gone and the new one stands.

Functions take the event duck-typed (no database access of their own): pass events
whose ``occurrences`` are prefetched, and a list of any length costs no extra query.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice

from django.utils import timezone

from core.dates import local_date
from core.recurrence import local_days

# No expansion returns more than this, whatever the rule (a daily rule never ends).
MAX_OCCURRENCES = 200
# How far ahead a recurrence is expanded when no end is given.
RECURRENCE_HORIZON = timedelta(days=3 * 366)


@dataclass(frozen=True)
class Occurrence:
    """One concrete slot. ``pk`` is the EventOccurrence row's, or None for a recurring date
    (which its original ``start`` identifies, as an iCalendar RECURRENCE-ID would)."""

    start: datetime
    end: datetime
    note: str = ""
    pk: int | None = None
    replaces: date | None = None

    @property
    def key(self):
        """What names it for registrations (booking.models.EventDate), as the calendar
        files do: its row, or its day for a repeated date, which a row moving that day
        keeps, so registrations follow a moved date."""
        day = self.replaces or (None if self.pk else local_date(self.start))
        return f"day-{day:%Y%m%d}" if day else f"date-{self.pk}"


def expand(event, start, end=None, limit=MAX_OCCURRENCES):
    """Occurrences overlapping [start, end), soonest first, at most ``limit`` of them.

    Without ``end``, explicit rows are unbounded and the recurrence stops at
    RECURRENCE_HORIZON after ``start``.
    """
    explicit = [
        occurrence
        for occurrence in _explicit(event)
        if occurrence.end > start and (end is None or occurrence.start < end)
    ]
    taken = {occurrence.start for occurrence in explicit}
    moved = moved_days(event)
    last = end or start + RECURRENCE_HORIZON
    recurring = (
        occurrence
        for occurrence in _recurring(event, start, last)
        if occurrence.start not in taken
        and occurrence.start.date() not in moved
        and occurrence.start < last
    )
    return sorted(explicit + list(islice(recurring, limit)), key=_chronological)[:limit]


def next_occurrence(event, now):
    """The occurrence in progress at ``now``, or else the next one; None if there is none."""
    occurrences = expand(event, now, limit=1)
    return occurrences[0] if occurrences else None


def last_occurrence(event, now):
    """The latest occurrence that had ended by ``now``, or None."""
    candidates = [occurrence for occurrence in _explicit(event) if occurrence.end <= now]
    days = recurrence_days(event, last_day=local_date(now))
    if days is not None:
        taken = {occurrence.start for occurrence in candidates}
        moved = moved_days(event)
        # The last two days are enough: today's slot may still be running.
        for day in islice(reversed(list(days)), 2):
            occurrence = slot(event, day)
            if occurrence.end <= now and occurrence.start not in taken and day not in moved:
                candidates.append(occurrence)
                break
    return max(candidates, key=_chronological, default=None)


def moved_days(event):
    """Recurring days that an explicit row moves elsewhere (``replaces_date``)."""
    # getattr: rows built by hand, without the field, move nothing.
    return {
        row.replaces_date
        for row in event.occurrences.all()
        if getattr(row, "replaces_date", None) is not None
    }


def is_recurring_day(event, day: date):
    """True if the recurrence (rules, extra and excluded dates) falls on ``day``."""
    days = recurrence_days(event, last_day=day, first_day=day)
    return days is not None and day in days


def _chronological(occurrence):
    return occurrence.start, occurrence.end


def _explicit(event):
    return [
        Occurrence(row.start, row.end, row.note, row.pk, getattr(row, "replaces_date", None))
        for row in event.occurrences.all()
    ]


def _recurring(event, start, last):
    """Recurring occurrences ending after ``start``, in order, none starting after ``last``."""
    days = recurrence_days(event, local_date(last), first_day=local_date(start))
    if days is None:
        return
    for day in days:
        occurrence = slot(event, day)
        if occurrence.end > start:
            yield occurrence


def recurrence_days(event, last_day, first_day=None):
    """The recurrence's days from ``first_day`` (or its beginning) to ``last_day``, in
    order (a generator of dates, core.recurrence), or None if it is unset.

    Rules need ``recurrence_from`` as their anchor (which week a fortnightly rule falls
    on, where COUNT starts); without it only the extra dates count.
    """
    recurrence = event.recurrence
    if not recurrence or not (event.recurrence_start_time and event.recurrence_end_time):
        return None
    if event.recurrence_until:
        last_day = min(last_day, event.recurrence_until)
    return local_days(recurrence, anchor=event.recurrence_from, first=first_day, last=last_day)


def slot(event, day: date):
    """The recurring occurrence on ``day``, at the event's wall-clock hours."""
    zone = timezone.get_current_timezone()
    return Occurrence(
        start=datetime.combine(day, event.recurrence_start_time, tzinfo=zone),
        end=datetime.combine(day, event.recurrence_end_time, tzinfo=zone),
    )
