"""One week of free slots at a time, grouped by local day, with links to the weeks around
it (what the slot step of the journey and the move page show), and the key each slot
is sent back with."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import groupby

from django.utils import timezone

SLOT_KEY_FORMAT = "%Y%m%dT%H%M%SZ"

GROUP_KEY_PREFIX = "groupe-"
# ASCII digits only ("²".isdigit() is true, but int() refuses it), and few enough of them
# to fit a database integer.
SESSION_ID = re.compile(r"[0-9]{1,18}")


def slot_key(slot):
    """What the slot radio sends: a group session's id, or the start in UTC."""
    if slot.group_session is not None:
        return f"{GROUP_KEY_PREFIX}{slot.group_session.pk}"
    return slot.start.astimezone(UTC).strftime(SLOT_KEY_FORMAT)


def parse_slot_key(value):
    """(start, None) for a time, (None, session id) for a group session, else (None, None)."""
    if value.startswith(GROUP_KEY_PREFIX):
        session_id = value.removeprefix(GROUP_KEY_PREFIX)
        valid = SESSION_ID.fullmatch(session_id)
        return (None, int(session_id)) if valid else (None, None)
    try:
        return datetime.strptime(value, SLOT_KEY_FORMAT).replace(tzinfo=UTC), None
    except ValueError:
        return None, None


WEEK = timedelta(days=7)


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
    days = [timezone.localdate(slot.start) for slot in slots]

    def shown(day):
        return min(max(monday_of(day), this_week), monday_of(horizon_end))

    week = shown(_as_date(week) or _default_day(days, around) or this_week)
    if around is not None:
        week = shown(_first_day_with_slots(days, week))
    after = week + WEEK
    return SlotListing(
        week=week,
        days=_by_day(days, slots, week),
        previous_week=week - WEEK if week > this_week else None,
        next_week=after if after <= horizon_end else None,
        next_free_day=next((day for day in days if day >= after), None),
        week_url=week_url,
    )


def _first_day_with_slots(days, week):
    """`week` if it has free slots, else the next day after it that has (else `week`)."""
    if any(week <= day < week + WEEK for day in days):
        return week
    return next((day for day in days if day >= week + WEEK), week)


def _by_day(days, slots, week):
    """[(day, [(key, slot), …]), …] for the days of `week` that have slots."""
    in_week = [
        (day, slot) for day, slot in zip(days, slots, strict=True) if week <= day < week + WEEK
    ]
    return [
        (day, [(slot_key(slot), slot) for _day, slot in group])
        for day, group in groupby(in_week, key=lambda pair: pair[0])
    ]


def _as_date(week):
    """A date, an ISO date string from a link (None if it is not one), or None."""
    if isinstance(week, str):
        try:
            return date.fromisoformat(week)
        except ValueError:
            return None
    return week


def _default_day(days, around):
    """The refused time's day, else the first free day."""
    if around is not None:
        return timezone.localdate(around)
    return days[0] if days else None
