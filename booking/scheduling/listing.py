"""One week of free slots at a time, grouped by local day, with links to the weeks around
it (what the slot step of the journey, the move page and the front desk show), and the key
each slot is sent back with."""

import re
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby

from django.utils import timezone
from django.utils.functional import cached_property

SLOT_KEY_FORMAT = "%Y%m%dT%H%M%SZ"
# How long a list of free times may be kept for those browsing (the slot step, the API),
# under the site's version that a booking renews: what staff change, and times passing
# their notice, show within it; the booking itself always checks the time again.
KEPT_SECONDS = 60

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


class Weeks:
    """Free slots one local week at a time, each week computed at most once.

    `slots_between(start, end)` gives the sorted free slots starting in [start, end).
    Computing the whole horizon to show one week cost 13 times as much with 50
    counsellors: a page computes the week it shows, and looks further only as far as
    the first week that has a free time.
    """

    def __init__(self, slots_between, *, now, horizon_days):
        self._slots_between = slots_between
        self._now = now
        self._computed = {}
        self.first = monday_of(timezone.localdate(now))
        self.horizon_end = timezone.localdate(now + timedelta(days=horizon_days))
        self.last = monday_of(self.horizon_end)

    def slots(self, monday):
        if monday not in self._computed:
            start = max(_local_midnight(monday), self._now)
            self._computed[monday] = self._slots_between(start, _local_midnight(monday + WEEK))
        return self._computed[monday]

    def first_free_day(self, monday):
        """The first local day, in the week of `monday` or after, with a free slot."""
        while monday <= self.last:
            if slots := self.slots(monday):
                return timezone.localdate(slots[0].start)
            monday += WEEK
        return None

    def shown(self, day):
        """The week to show for `day`: within this week and the horizon's."""
        return min(max(monday_of(day), self.first), self.last)


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time()))


class SlotListing:
    """One week of free slots, grouped by local day, and links to the weeks around it."""

    def __init__(self, weeks, week, week_url):
        self.week = week
        self.week_url = week_url
        self._weeks = weeks
        self.days = _by_day(weeks.slots(week))
        self.previous_week = week - WEEK if week > weeks.first else None
        after = week + WEEK
        self.next_week = after if after <= weeks.horizon_end else None

    @property
    def week_end(self):
        return self.week + timedelta(days=6)

    @cached_property
    def next_free_day(self):
        """Shown only when this week has nothing: computed only then."""
        return self._weeks.first_free_day(self.week + WEEK)

    @property
    def previous_url(self):
        return self.week_url(self.previous_week) if self.previous_week else ""

    @property
    def next_url(self):
        return self.week_url(self.next_week) if self.next_week else ""

    @property
    def next_free_url(self):
        return self.week_url(self.next_free_day) if self.next_free_day else ""


def week_listing(slots_between, *, now, horizon_days, week_url, week=None, around=None):
    """One week of free slots grouped by local day, with the weeks around it.

    `slots_between`: as in `Weeks`. `week`: a date in it, or an ISO date string (from a
    link); by default the week of `around` (a refused time), else of the first free
    slot, else this week. When showing the week of a refused time that has nothing
    left, jump to the next week that has.
    """
    weeks = Weeks(slots_between, now=now, horizon_days=horizon_days)
    day = _as_date(week) or (timezone.localdate(around) if around is not None else None)
    shown = weeks.shown(day or weeks.first_free_day(weeks.first) or weeks.first)
    if around is not None and not weeks.slots(shown):
        shown = weeks.shown(weeks.first_free_day(shown + WEEK) or shown)
    return SlotListing(weeks, shown, week_url)


def _by_day(slots):
    """[(day, [(key, slot), …]), …] for the days that have slots."""
    return [
        (day, [(slot_key(slot), slot) for slot in group])
        for day, group in groupby(slots, key=lambda slot: timezone.localdate(slot.start))
    ]


def _as_date(week):
    """A date, an ISO date string from a link (None if it is not one), or None."""
    if isinstance(week, str):
        try:
            return date.fromisoformat(week)
        except ValueError:
            return None
    return week
