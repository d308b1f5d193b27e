"""One week of free slots at a time, grouped by local day, with links to the weeks around
it (what the slot step of the journey and the move page show), and the key each slot
is sent back with."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import groupby

from django.utils import timezone

SLOT_KEY_FORMAT = "%Y%m%dT%H%M%SZ"


GROUP_KEY_PREFIX = "groupe-"


def slot_key(slot):
    """What the slot radio sends: a group session's id, or the start in UTC."""
    if slot.group_session is not None:
        return f"{GROUP_KEY_PREFIX}{slot.group_session.pk}"
    return slot.start.astimezone(UTC).strftime(SLOT_KEY_FORMAT)


def parse_slot_key(value):
    """(start, None) for a time, (None, session id) for a group session, else (None, None)."""
    if value.startswith(GROUP_KEY_PREFIX):
        session_id = value.removeprefix(GROUP_KEY_PREFIX)
        valid = session_id.isdigit() and len(session_id) < 19  # fits a database integer
        return (None, int(session_id)) if valid else (None, None)
    try:
        return datetime.strptime(value, SLOT_KEY_FORMAT).replace(tzinfo=UTC), None
    except ValueError:
        return None, None


def monday_of(day):
    return day - timedelta(days=day.weekday())


@dataclass
class SlotListing:
    """One week of free slots, grouped by local day, and links to the weeks around it."""

    week: date
    days: list
    previous_week: date | None
    next_week: date | None
    next_free_day: date | None
    week_url: Callable[[date], str]

    @property
    def week_end(self):
        return self.week + timedelta(days=6)

    @property
    def previous_url(self):
        return self.week_url(self.previous_week) if self.previous_week else ""

    @property
    def next_url(self):
        return self.week_url(self.next_week) if self.next_week else ""

    @property
    def next_free_url(self):
        return self.week_url(self.next_free_day) if self.next_free_day else ""


def week_listing(slots, *, now, horizon_days, week_url, week=None, around=None):
    """One week of `slots` (sorted) grouped by local day, with the weeks around it.

    `week`: a date in it, or an ISO date string (from a link); by default the week of
    `around` (a refused time), else of the first free slot, else this week. When showing
    the week of a refused time that has nothing left, jump to the next week that has.
    """
    this_week = monday_of(timezone.localdate(now))
    horizon_end = timezone.localdate(now + timedelta(days=horizon_days))
    if isinstance(week, str):
        try:
            week = date.fromisoformat(week)
        except ValueError:
            week = None
    if week is None and around is not None:
        week = timezone.localdate(around)
    elif week is None and slots:
        week = timezone.localdate(slots[0].start)
    week = min(max(monday_of(week or this_week), this_week), monday_of(horizon_end))
    after = week + timedelta(days=7)
    in_week = [slot for slot in slots if week <= timezone.localdate(slot.start) < after]
    next_free = next(
        (timezone.localdate(s.start) for s in slots if timezone.localdate(s.start) >= after),
        None,
    )
    if not in_week and around is not None and next_free is not None:
        return week_listing(
            slots, now=now, horizon_days=horizon_days, week_url=week_url, week=next_free
        )
    return SlotListing(
        week=week,
        days=[
            (day, [(slot_key(slot), slot) for slot in day_slots])
            for day, day_slots in groupby(in_week, key=lambda s: timezone.localdate(s.start))
        ],
        previous_week=week - timedelta(days=7) if week > this_week else None,
        next_week=after if after <= horizon_end else None,
        next_free_day=next_free,
        week_url=week_url,
    )
