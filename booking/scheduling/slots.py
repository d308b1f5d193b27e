"""Free appointment slots, computed without a database so the rules can be tested alone.

`compute_slots(availability, now=, start=, end=)` expands each counsellor's recurring
windows day by day in local time (so a 9:00 window gives 9:00 on both sides of a
daylight-saving change), drops closed days, cuts the windows into slots and removes
those that touch a busy interval (live bookings with their break, absences, external
calendar busy times). `booking.scheduling.loading` reads an `Availability` from the
database.

A slot occupies [start, end + the format's break): that is what must be free, and what
the PostgreSQL guard protects once booked.

It runs in phases (`_rule_plans`, `_individual_slots`, `_group_session_slots`) over
times held as whole microseconds since the epoch: each distinct window is cut once for
all the counsellors who share it, busy times are removed in one forward sweep per
window, and `Slot`s are built only for the free times.
"""

import gc
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

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

from .holidays import DEFAULT_REGION, public_holidays_between

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
    holiday_region: str = DEFAULT_REGION
    # The structure's wall clock, which opening hours are written in; None: the active one.
    zone: tzinfo | None = None

    def closed_days(self, first, last):
        days = set()
        for closure in self.closures:
            day = max(closure.start_date, first)
            while day <= min(closure.end_date, last):
                days.add(day)
                day += timedelta(days=1)
        if self.closed_on_public_holidays:
            days.update(public_holidays_between(first, last, self.holiday_region))
        return days


class BusyTimes:
    """A counsellor's busy intervals, merged and sorted for fast overlap tests.

    Datetimes or plain numbers alike: `compute_slots` gives it microseconds.
    """

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


def compute_slots(
    availability,
    *,
    now,
    start,
    end,
    first_meeting=None,
    within_limits=True,
    full_sessions=False,
):
    """Free slots starting in [start, end), sorted by time, counsellor, format and place.

    `first_meeting`: None lists everything; True keeps only what suits a first meeting
    (format stage, never at home); False only what suits a follow-up.
    Each format's minimum notice and horizon count from `now`; `within_limits=False`
    (staff booking for someone) lifts both: anything after `now` in [start, end).
    `full_sessions`: group sessions with no seat left are listed too (`seats_left` 0),
    for their waiting list.
    """
    with _collector_paused():
        search = _Search(
            availability,
            now=now,
            start=start,
            end=end,
            first_meeting=first_meeting,
            within_limits=within_limits,
            full_sessions=full_sessions,
        )
        found = {}  # {sort key: Slot}; see _Order
        for rule, counsellor, plans in _rule_plans(search):
            _individual_slots(search, rule, counsellor, plans, found)
        _group_session_slots(search, found)
        return [found[key] for key in sorted(found)]


@contextmanager
def _collector_paused():
    """Hold CPython's cyclic garbage collector while the slots are built.

    It counts new objects, not garbage: every 700 it looks at the newest, every 7,000
    at more, and about every 70,000, once enough have survived, at all the process's
    objects (90 ms for a Django process of 300,000 on the bench machine). Tens of
    thousands of Slots set that off, and none of them is garbage: this code makes no
    reference cycles. Paused, the collector looks at them once, in `collect(0)` below,
    so the cost stays with this call; Mercurial's `util.nogc` does the same when it
    builds large containers. Left alone if someone else had paused it; other threads
    only wait milliseconds for their own cycles to be collected.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


class _Search:
    """What one `compute_slots` call works out once and reuses for every rule.

    Inside, times are whole microseconds since the epoch (see `_micros`): exact like
    datetimes, but an addition or a comparison costs a fraction of theirs.
    """

    def __init__(
        self, availability, *, now, start, end, first_meeting, within_limits, full_sessions
    ):
        self.availability = availability
        self.first_meeting = first_meeting
        self.full_sessions = full_sessions
        self.local_tz = availability.zone or timezone.get_current_timezone()
        first_day = start.astimezone(self.local_tz).date()
        last_day = end.astimezone(self.local_tz).date()
        self.days = (first_day, last_day)
        self.closed = availability.closed_days(first_day, last_day)
        self.counsellors = {c.id: c for c in availability.counsellors if c.active}
        self.plans = _format_plans(
            availability, first_meeting, now=now, start=start, end=end, within_limits=within_limits
        )
        self.busy, self.absent = _busy_by_counsellor(availability)
        self.order = _Order(
            self.counsellors.values(),
            len(self.plans),
            [rule.place for rule in availability.rules]
            + [session.place for session in availability.group_sessions],
            availability.group_sessions,
        )
        # Counsellors mostly share opening hours: each distinct recurrence is expanded
        # once, each local time converted once, each window cut once per format.
        self._expanded = {}
        self._instants = {}
        self._windows = {}

    def place_open(self, place):
        return place.active and not (self.first_meeting and not place.suits_first_meeting)

    def windows(self, rule, plan):
        """For each day the rule opens, the possible starts of `plan` in its window, busy
        times not yet removed, as (start, its share of the sort key, start as datetime,
        end as datetime). Days closed, or with no start in range, are left out."""
        dates_key = (recurrence_text(rule.recurrence), rule.valid_from, rule.valid_until)
        key = (dates_key, rule.start_time, rule.end_time, plan.rank)
        if key not in self._windows:
            if dates_key not in self._expanded:
                self._expanded[dates_key] = occurrence_dates(rule, *self.days)
            windows = (
                self._candidates(plan, day, rule.start_time, rule.end_time)
                for day in self._expanded[dates_key]
                if day not in self.closed
            )
            self._windows[key] = [candidates for candidates in windows if candidates]
        return self._windows[key]

    def _candidates(self, plan, day, opens, closes):
        return [
            (start, self.order.at(start), _moment(start), _moment(start + plan.duration))
            for start in plan.starts(self._instant(day, opens), self._instant(day, closes))
        ]

    def _instant(self, day, wall_clock):
        key = (day, wall_clock)
        if key not in self._instants:
            self._instants[key] = _micros(local_datetime(day, wall_clock, self.local_tz))
        return self._instants[key]


def _format_plans(availability, first_meeting, *, now, start, end, within_limits):
    """{format id: _FormatPlan} of the active formats that suit the meeting stage."""
    formats = {
        f.id: f
        for f in availability.formats
        if f.active and (first_meeting is None or f.allows_stage(first_meeting))
    }
    return {
        f.id: _FormatPlan(f, rank, now=now, start=start, end=end, within_limits=within_limits)
        for f, rank in _ranks(formats.values(), lambda f: (f.sort_order, f.name, f.id)).items()
    }


class _Order:
    """Sort keys for slots as single integers.

    The output is ordered by (start, counsellor rank, format rank, place name, place id,
    group session id). Each of those becomes a rank, and the ranks the digits of one
    integer whose most significant digit is the start in microseconds: integers hash
    and compare far faster than tuples of datetimes and strings. Two slots share a key
    exactly when they share that tuple (two overlapping rules of a counsellor offering
    the same format at the same place), and are then one slot.
    """

    def __init__(self, counsellors, format_count, places, sessions):
        self.counsellors = _ranks(counsellors, lambda c: (c.first_name, c.slug, c.id))
        self.places = _rank_values((place.name, place.id) for place in places)
        # 0 for individual slots, which sorted before any session at the same time.
        self.sessions = _rank_values([0, *(session.id for session in sessions)])
        self.formats = format_count
        self.radix = len(self.counsellors) * format_count * len(self.places) * len(self.sessions)

    def at(self, start):
        return start * self.radix

    def of(self, counsellor, plan, place, session_id=0):
        """The rest of the key: below `radix`, so it never changes the order of starts."""
        key = self.counsellors[counsellor] * self.formats + plan.rank
        key = key * len(self.places) + self.places[place.name, place.id]
        return key * len(self.sessions) + self.sessions[session_id]


def _rule_plans(search):
    """(rule, counsellor, plans) for each rule that opens slots: its counsellor is
    active, its place open, and it offers individual formats that may take place there."""
    availability = search.availability
    for rule in availability.rules:
        counsellor = search.counsellors.get(rule.counsellor_id)
        if counsellor is None or not search.place_open(rule.place):
            continue
        offered = availability.counsellor_format_ids.get(counsellor.id, set())
        wanted = (availability.rule_format_ids.get(rule.id) or offered) & offered
        plans = [
            search.plans[format_id]
            for format_id in wanted
            if format_id in search.plans and search.plans[format_id].offered_at(rule.place)
        ]
        if plans:
            yield rule, counsellor, plans


def _individual_slots(search, rule, counsellor, plans, found):
    """Cut the rule's window on each of its days into the free slots of each plan."""
    busy = search.busy.get(counsellor.id, _NOTHING)
    place = rule.place
    for plan in plans:
        fmt = plan.format
        sort_key = search.order.of(counsellor, plan, place)
        for candidates in search.windows(rule, plan):
            for _, start_key, start, end in _free(candidates, busy, plan.blocked):
                found[start_key + sort_key] = Slot(start, end, counsellor, fmt, place, 1)


def _free(candidates, busy, blocked):
    """The candidates whose [start, start + blocked) meets no busy interval.

    Merged busy intervals are sorted by their start and their end alike, so the first
    one that ends after a start is the only one that may overlap the slot, and one
    forward sweep with the (sorted) candidates finds them all. A busy time that ends
    exactly at a start leaves it free; one that starts exactly at its end too.
    """
    starts, ends = busy.starts, busy.ends
    count = len(starts)
    index = bisect_right(ends, candidates[0][0])  # the first one ending after the first start
    if index == count or starts[index] >= candidates[-1][0] + blocked:
        return candidates  # Nothing busy in this window: the usual case.
    free = []
    for candidate in candidates:
        while index < count and ends[index] <= candidate[0]:
            index += 1
        if index == count or starts[index] >= candidate[0] + blocked:
            free.append(candidate)
    return free


def _group_session_slots(search, found):
    """Group sessions with seats left (or full, with `full_sessions`), in range, on an
    open day, counsellor present."""
    for session in search.availability.group_sessions:
        counsellor = search.counsellors.get(session.counsellor_id)
        plan = search.plans.get(session.format_id)
        if counsellor is None or plan is None or not _session_open(search, session, plan):
            continue
        key = search.order.at(_micros(session.start))
        key += search.order.of(counsellor, plan, session.place, session.id)
        found[key] = Slot(
            start=session.start,
            end=session.end,
            counsellor=counsellor,
            format=plan.format,
            place=session.place,
            seats_left=max(session.seats_left, 0),
            group_session=session,
        )


def _session_open(search, session, plan):
    start = _micros(session.start)
    if not search.place_open(session.place):
        return False
    if session.seats_left <= 0 and not search.full_sessions:
        return False
    if not plan.earliest <= start < plan.latest:
        return False
    if session.start.astimezone(search.local_tz).date() in search.closed:
        return False
    absent = search.absent.get(session.counsellor_id, _NOTHING)
    return not absent.overlaps(start, _micros(session.end))


class _FormatPlan:
    """A format's slot arithmetic, worked out once per computation, in microseconds."""

    def __init__(self, fmt, rank, *, now, start, end, within_limits):
        self.format = fmt
        self.rank = rank
        self.duration = fmt.duration_minutes * _MINUTE
        self.blocked = self.duration + fmt.buffer_after_minutes * _MINUTE
        self.step = fmt.step_minutes * _MINUTE
        notice = timedelta(hours=fmt.minimum_notice_hours if within_limits else 0)
        self.earliest = _micros(max(start, now + notice))
        # The horizon's last instant is included.
        horizon = now + timedelta(days=fmt.horizon_days, microseconds=1)
        self.latest = _micros(min(end, horizon) if within_limits else end)
        self._offsets = {}

    def offered_at(self, place):
        """Rules offer individual formats only: group ones are booked on their sessions."""
        return not self.format.is_group and self.format.allows_place(place)

    def starts(self, window_start, window_end):
        """Start times on the window's grid that fit in it and in the bookable range."""
        length = window_end - window_start
        if length not in self._offsets:
            count = max((length - self.duration) // self.step + 1, 0)
            self._offsets[length] = range(0, count * self.step, self.step)
        return [
            start
            for start in (window_start + offset for offset in self._offsets[length])
            if self.earliest <= start < self.latest
        ]


def _busy_by_counsellor(availability):
    """({counsellor id: BusyTimes}, {counsellor id: BusyTimes of absences only}), in
    microseconds since the epoch.

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
        {counsellor_id: _busy_times(intervals) for counsellor_id, intervals in busy.items()},
        {counsellor_id: _busy_times(intervals) for counsellor_id, intervals in absent.items()},
    )


def _busy_times(intervals):
    """BusyTimes in microseconds. An interval that ends before it starts (none can come
    from the database) blocks nothing, and would break the sweep's order."""
    micros = ((_micros(start), _micros(end)) for start, end in intervals)
    return BusyTimes((start, end) for start, end in micros if start <= end)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_MINUTE = 60_000_000
_NOTHING = BusyTimes(())


def _micros(moment):
    """An aware datetime as whole microseconds since the epoch, exactly."""
    return (moment - _EPOCH) // _MICROSECOND


def _moment(micros):
    """The UTC datetime `_micros` came from."""
    return _EPOCH + timedelta(microseconds=micros)


def _rank_values(values):
    return {value: rank for rank, value in enumerate(sorted(set(values)))}


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
