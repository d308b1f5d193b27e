"""Free appointment slots, computed without a database so the rules can be tested alone.

`compute_slots(availability, now=, start=, end=)` expands each counsellor's recurring
windows day by day in local time (so a 9:00 window gives 9:00 on both sides of a
daylight-saving change), drops closed days, cuts the windows into slots and removes
those that touch a busy interval (live bookings with their break, absences, external
calendar busy times). `booking.scheduling.loading` reads an `Availability` from the
database.

A slot occupies [start, end + the format's break): that is what must be free, and what
the PostgreSQL guard protects once booked.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone
from recurrence import serialize as recurrence_text

from booking.models import (
    Absence,
    AvailabilityRule,
    Booking,
    Closure,
    Counsellor,
    Format,
    GroupSession,
    Place,
)
from core.recurrence import local_days

from .holidays import public_holidays_between

Interval = tuple[datetime, datetime]


# Anchors "every other week" rules that have no start date of their own, so their phase
# does not depend on the day someone looks at the calendar. A Monday.
RECURRENCE_EPOCH = date(2024, 1, 1)


@dataclass(slots=True)
class Slot:
    """A bookable time. `counsellor` is None only in `merge_counsellors` output."""

    start: datetime
    end: datetime
    counsellor: Counsellor | None
    format: Format
    place: Place
    seats_left: int
    group_session: GroupSession | None = None


@dataclass
class Availability:
    """Everything `compute_slots` reads. Built by `load_availability`, or by hand in tests.

    The M2M links are plain id maps so the computation never touches the database.
    `bookings` needs only `counsellor_id`, `start` and `busy_until` of live individual
    bookings (Booking instances or rows); `group_sessions` need their `format` and
    `place`; `busy_times` maps a counsellor id to busy intervals from their calendars.
    """

    counsellors: Sequence[Counsellor]
    formats: Sequence[Format]
    rules: Sequence[AvailabilityRule] = ()
    counsellor_format_ids: Mapping[int, set[int]] = field(default_factory=dict)
    rule_format_ids: Mapping[int, set[int]] = field(default_factory=dict)
    bookings: Sequence[Booking] = ()
    absences: Sequence[Absence] = ()
    closures: Sequence[Closure] = ()
    group_sessions: Sequence[GroupSession] = ()
    busy_times: Mapping[int, Iterable[Interval]] = field(default_factory=dict)
    closed_on_public_holidays: bool = True

    def closed_days(self, first, last):
        days = set()
        for closure in self.closures:
            day = max(closure.start_date, first)
            while day <= min(closure.end_date, last):
                days.add(day)
                day += timedelta(days=1)
        if self.closed_on_public_holidays:
            days.update(public_holidays_between(first, last))
        return days


class BusyTimes:
    """A counsellor's busy intervals, merged and sorted for fast overlap tests."""

    def __init__(self, intervals):
        self.starts = []
        self.ends = []
        for start, end in sorted(intervals):
            if self.ends and start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def overlaps(self, start, end):
        index = bisect_right(self.starts, start) - 1
        if index >= 0 and self.ends[index] > start:
            return True
        return index + 1 < len(self.starts) and self.starts[index + 1] < end

    def between(self, start, end):
        """The intervals that overlap [start, end): usually none or one per window."""
        index = max(bisect_right(self.starts, start) - 1, 0)
        found = []
        while index < len(self.starts) and self.starts[index] < end:
            if self.ends[index] > start:
                found.append((self.starts[index], self.ends[index]))
            index += 1
        return found


def compute_slots(availability, *, now, start, end, first_meeting=None):
    """Free slots starting in [start, end), sorted by time, counsellor, format and place.

    `first_meeting`: None lists everything; True keeps only what suits a first meeting
    (format stage, never at home); False only what suits a follow-up.
    Each format's minimum notice and horizon count from `now`.
    """
    local_tz = timezone.get_default_timezone()
    first_day = start.astimezone(local_tz).date()
    last_day = end.astimezone(local_tz).date()
    closed = availability.closed_days(first_day, last_day)
    formats = {
        f.id: f
        for f in availability.formats
        if f.active and (first_meeting is None or f.allows_stage(first_meeting))
    }
    counsellors = {c.id: c for c in availability.counsellors if c.active}
    # Ranks make the keys of `found` sort the slots without a Python key function.
    counsellor_rank = _ranks(counsellors.values(), lambda c: (c.first_name, c.slug, c.id))
    plans = {
        f.id: _FormatPlan(f, rank, now=now, start=start, end=end)
        for f, rank in _ranks(formats.values(), lambda f: (f.sort_order, f.name, f.id)).items()
    }
    busy, absent = _busy_by_counsellor(availability)
    nothing = BusyTimes(())
    instants = {}  # Counsellors mostly share opening hours: convert each local time once.
    expanded = {}  # ... and recurrences: expand each distinct one once.

    def instant(day, wall_clock):
        key = (day, wall_clock)
        if key not in instants:
            instants[key] = local_datetime(day, wall_clock, local_tz)
        return instants[key]

    found = {}
    for rule in availability.rules:
        counsellor = counsellors.get(rule.counsellor_id)
        place = rule.place
        if counsellor is None or not place.active:
            continue
        if first_meeting and not place.suits_first_meeting:
            continue
        offered = availability.counsellor_format_ids.get(counsellor.id, set())
        rule_plans = [
            plans[format_id]
            for format_id in (availability.rule_format_ids.get(rule.id) or offered) & offered
            if format_id in plans
            and not plans[format_id].format.is_group
            and plans[format_id].format.allows_place(place)
        ]
        if not rule_plans:
            continue
        dates_key = (recurrence_text(rule.recurrence), rule.valid_from, rule.valid_until)
        if dates_key not in expanded:
            expanded[dates_key] = occurrence_dates(rule, first_day, last_day)
        counsellor_busy = busy.get(counsellor.id, nothing)
        rank = counsellor_rank[counsellor]
        for day in expanded[dates_key]:
            if day in closed:
                continue
            window_start = instant(day, rule.start_time)
            window_end = instant(day, rule.end_time)
            for plan in rule_plans:
                slot_starts = plan.starts(window_start, window_end)
                if not slot_starts:
                    continue
                taken = counsellor_busy.between(slot_starts[0], slot_starts[-1] + plan.blocked)
                for slot_start in slot_starts:
                    if taken and _overlaps_any(taken, slot_start, slot_start + plan.blocked):
                        continue
                    found[(slot_start, rank, plan.rank, place.name, place.id, 0)] = Slot(
                        start=slot_start,
                        end=slot_start + plan.duration,
                        counsellor=counsellor,
                        format=plan.format,
                        place=place,
                        seats_left=1,
                    )

    for session in availability.group_sessions:
        counsellor = counsellors.get(session.counsellor_id)
        plan = plans.get(session.format_id)
        place = session.place
        if counsellor is None or plan is None or not place.active:
            continue
        if first_meeting and not place.suits_first_meeting:
            continue
        if not plan.earliest <= session.start < plan.latest or session.seats_left <= 0:
            continue
        if session.start.astimezone(local_tz).date() in closed:
            continue
        if absent.get(counsellor.id, nothing).overlaps(session.start, session.end):
            continue
        key = (session.start, counsellor_rank[counsellor], plan.rank, place.name, place.id)
        found[(*key, session.id)] = Slot(
            start=session.start,
            end=session.end,
            counsellor=counsellor,
            format=plan.format,
            place=place,
            seats_left=session.seats_left,
            group_session=session,
        )

    return [found[key] for key in sorted(found)]


class _FormatPlan:
    """A format's slot arithmetic, worked out once per computation."""

    def __init__(self, fmt, rank, *, now, start, end):
        self.format = fmt
        self.rank = rank
        self.duration = timedelta(minutes=fmt.duration_minutes)
        self.blocked = self.duration + _break(fmt)
        self.step = timedelta(minutes=fmt.step_minutes)
        self.earliest = max(start, now + timedelta(hours=fmt.minimum_notice_hours))
        # The horizon's last instant is included.
        self.latest = min(end, now + timedelta(days=fmt.horizon_days, microseconds=1))
        self._offsets = {}

    def starts(self, window_start, window_end):
        """Start times on the window's grid that fit in it and in the bookable range."""
        length = window_end - window_start
        if length not in self._offsets:
            count = max((length - self.duration) // self.step + 1, 0)
            self._offsets[length] = [self.step * n for n in range(count)]
        starts = [window_start + offset for offset in self._offsets[length]]
        if starts and (starts[0] < self.earliest or starts[-1] >= self.latest):
            starts = [s for s in starts if self.earliest <= s < self.latest]
        return starts


def _overlaps_any(intervals, start, end):
    return any(busy_start < end and busy_end > start for busy_start, busy_end in intervals)


def _busy_by_counsellor(availability):
    """({counsellor id: BusyTimes}, {counsellor id: BusyTimes of absences only}).

    Busy: live individual bookings with their break, group sessions with theirs,
    absences and external busy times. A group session itself is cancelled only by an
    absence: its own time is in the counsellor's calendar feed, so it would block itself.
    """
    busy = defaultdict(list)
    absent = defaultdict(list)
    for booking in availability.bookings:
        busy[booking.counsellor_id].append((booking.start, booking.busy_until))
    for session in availability.group_sessions:
        busy[session.counsellor_id].append((session.start, session.end + _break(session.format)))
    for absence in availability.absences:
        busy[absence.counsellor_id].append((absence.start, absence.end))
        absent[absence.counsellor_id].append((absence.start, absence.end))
    for counsellor_id, intervals in availability.busy_times.items():
        busy[counsellor_id].extend(intervals)
    return (
        {counsellor_id: BusyTimes(intervals) for counsellor_id, intervals in busy.items()},
        {counsellor_id: BusyTimes(intervals) for counsellor_id, intervals in absent.items()},
    )


def merge_counsellors(slots):
    """One slot per time, format and place whoever is free, for "the first available".

    `seats_left` then counts the counsellors free at that time; group sessions stay
    separate (each one is a different group). `book(counsellor=None)` picks one.
    """
    merged = {}
    for slot in slots:
        if slot.group_session is not None:
            merged[("session", slot.group_session.id)] = slot
            continue
        key = (slot.start, slot.format.id, slot.place.id)
        previous = merged.get(key)
        seats = slot.seats_left + (previous.seats_left if previous else 0)
        merged[key] = Slot(
            start=slot.start,
            end=slot.end,
            counsellor=None,
            format=slot.format,
            place=slot.place,
            seats_left=seats,
        )
    return sorted(merged.values(), key=_merged_order)


def occurrence_dates(rule, first, last):
    """Local dates in [first, last] on which `rule` opens a window (core.recurrence).

    Days only: times of day in the stored recurrence are ignored, so an exception date
    entered at any hour still removes its day. Rules without a start date of their own
    run from the rule's first valid day, or else from RECURRENCE_EPOCH.
    """
    if rule.valid_from:
        first = max(first, rule.valid_from)
    if rule.valid_until:
        last = min(last, rule.valid_until)
    if first > last or not rule.recurrence:
        return []
    anchor = rule.valid_from or RECURRENCE_EPOCH
    return list(local_days(rule.recurrence, anchor=anchor, first=first, last=last))


def local_datetime(day, wall_clock, local_tz):
    """The instant when the local clock shows `wall_clock` on `day`, in UTC.

    Converting through UTC also normalises a time that does not exist (skipped by the
    spring change) to the moment the clock jumps to.
    """
    return datetime.combine(day, wall_clock, tzinfo=local_tz).astimezone(UTC)


def _break(fmt):
    return timedelta(minutes=fmt.buffer_after_minutes)


def _ranks(items, key):
    return {item: rank for rank, item in enumerate(sorted(items, key=key))}


def _merged_order(slot):
    place, fmt = slot.place, slot.format
    session_id = slot.group_session.id if slot.group_session else 0
    return (slot.start, fmt.sort_order, fmt.name, fmt.id, place.name, place.id, session_id)
