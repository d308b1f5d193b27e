"""What every calendar file and feed of the site shares, whatever it holds: the
VCALENDAR scaffold, the VTIMEZONE of any zone, the headers of a feed people subscribe
to, a place on one line, and the HTTP answers (a file to save, or a feed answered with
ETag and 304).

The content stays with each app: appointments in booking.calendars, events in events.ics.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar
from dateutil.rrule import rrulestr
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import (
    content_disposition_header,
    http_date,
    parse_etags,
    parse_http_date_safe,
)

CONTENT_TYPE = "text/calendar; charset=utf-8"

# How long a client may keep a feed before asking again (it then mostly gets a 304):
# a private feed is one person's agenda, a public one the same for everyone.
PRIVATE_FEED_CACHE = "private, max-age=300"
PUBLIC_FEED_CACHE = "public, max-age=900"

# A VTIMEZONE gives zoneinfo's offsets from this year on (older dates are not written by
# the site); its ongoing rules are dated 1970, as Google writes them, so a client never
# falls before the first one. Transitions are read up to LAST_YEAR: a rule still
# followed then is written without an end.
FIRST_YEAR = 1996
LAST_YEAR = 2100
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def new_calendar(prodid, method=None):
    """`method` only for an invitation sent by e-mail (REQUEST, CANCEL). A file to save or
    a feed declares none: RFC 5546 wants an ORGANIZER in every METHOD:PUBLISH event, and
    libical-based clients refuse a file without one."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


@lru_cache(maxsize=64)
def vtimezone(key):
    """The VTIMEZONE of the IANA zone `key`, generated from zoneinfo: yearly RRULEs as
    Google writes them (icalendar's own lists RDATEs, which Outlook mishandles), each
    with an UNTIL when the zone changed its rules, and a dated onset for a change no
    yearly rule says. A zone without daylight saving gets one STANDARD, its offset."""
    zone = ZoneInfo(key)
    runs = list(_runs(_onsets(zone)))
    opening = _state_in(zone, FIRST_YEAR)
    parts = [_observance(run[0], start, recur) for run, start, recur in _dated(runs, opening)]
    if not parts or parts[0]["DTSTART"].dt.year > 1970:
        parts.insert(0, _observance(opening, datetime(1970, 1, 1)))
    component = icalendar.Timezone()
    component.add("tzid", key)
    component.add("x-lic-location", key)
    for part in parts:
        component.add_component(part)
    return component


@dataclass(frozen=True)
class Onset:
    """A change of a zone's offset, daylight flag or name; `local` is the wall-clock
    time it happens at, in the offset before it."""

    offset_from: timedelta
    offset_to: timedelta
    daylight: bool
    name: str
    local: datetime
    utc: datetime

    def after(self):
        return self.offset_to, self.daylight, self.name

    def rule(self):
        """What the onsets one yearly rule gives all share."""
        local = self.local
        return self.offset_from, self.after(), local.month, local.weekday(), local.time()


def _state_in(zone, year):
    """The zone on 1 January of `year`, as an onset that changes nothing."""
    moment = datetime(year, 1, 1, tzinfo=zone)
    offset = moment.utcoffset()
    return Onset(offset, offset, bool(moment.dst()), moment.tzname(), moment, moment)


def _onsets(zone):
    """Every change from FIRST_YEAR to the end of LAST_YEAR, found day by day, then to
    the second by halving (zoneinfo has no public list of transitions)."""

    def state(second):
        local = datetime.fromtimestamp(second, zone)
        return local.utcoffset(), bool(local.dst()), local.tzname()

    day = 86400
    second = int(datetime(FIRST_YEAR, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC).timestamp())
    before = state(second)
    while second < end:
        if state(second + day) == before:
            second += day
            continue
        low, high = second, second + day  # the last second before, the first after
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if state(middle) == before else (low, middle)
        after = state(high)
        utc = datetime.fromtimestamp(high, UTC)
        local = (utc + before[0]).replace(tzinfo=None)
        yield Onset(before[0], after[0], after[1], after[2], local, utc)
        before, second = after, high


def _runs(onsets):
    """(onsets, their BYDAY and BYMONTHDAY) for each run of onsets one yearly RRULE
    gives in consecutive years, or for one onset (its days then unused)."""
    runs = []
    latest = {}
    for onset in onsets:
        run = latest.get(onset.rule())
        if run and run[0][-1].local.year + 1 == onset.local.year:
            days = _yearly_days([*run[0], onset])
            if days is not None:
                run[0].append(onset)
                run[1] = days
                continue
        latest[onset.rule()] = run = [[onset], _yearly_days([onset])]
        runs.append(run)
    return runs


def _dated(runs, opening):
    """(onsets, DTSTART, RRULE or None) of each run, by DTSTART. The yearly rules in
    force in FIRST_YEAR start in 1970, as Google writes them, when the last onset they
    then give before that year leaves the zone as it is on 1 January (a lone observance
    of 1970 says it otherwise)."""
    dated = []
    for onsets, days in runs:
        first, last = onsets[0], onsets[-1]
        recur = None
        if len(onsets) > 1:
            recur = {"FREQ": "YEARLY", "BYMONTH": first.local.month, **days}
            if last.local.year < LAST_YEAR:
                # dateutil, so icalendar, compares UNTIL with local times: east of UTC,
                # the last onset's wall-clock time bounds the rule under both readings.
                recur["UNTIL"] = max(last.utc, last.local.replace(tzinfo=UTC))
        dated.append([onsets, first.local, recur])
    ongoing = [item for item in dated if item[2] and item[1].year == FIRST_YEAR]
    if ongoing:
        latest = max(ongoing, key=lambda item: _in_year(item, FIRST_YEAR - 1))
        if latest[0][0].after() == opening.after():
            for item in ongoing:
                item[1] = _in_year(item, 1970)
    return sorted(dated, key=lambda item: item[1])


def _yearly_days(onsets):
    """The BYDAY (and BYMONTHDAY) that give each onset's day in its year, or None: the
    last such weekday of the month, the n-th, or the first on or after a day."""
    weekday = _WEEKDAYS[onsets[0].local.weekday()]
    days = [onset.local.day for onset in onsets]
    lengths = [monthrange(onset.local.year, onset.local.month)[1] for onset in onsets]
    if all(day + 7 > length for day, length in zip(days, lengths, strict=True)):
        return {"BYDAY": f"-1{weekday}"}
    if len({(day - 1) // 7 for day in days}) == 1:
        return {"BYDAY": f"{(days[0] - 1) // 7 + 1}{weekday}"}
    if max(days) - min(days) <= 6:
        return {"BYDAY": weekday, "BYMONTHDAY": list(range(max(days) - 6, max(days) + 1))}
    return None


def _in_year(dated, year):
    """The onset the yearly rule of `dated` gives in `year`."""
    _onsets, start, recur = dated
    rule = icalendar.vRecur({key: value for key, value in recur.items() if key != "UNTIL"})
    return rrulestr(rule.to_ical().decode(), dtstart=start.replace(year=year, day=1))[0]


def _observance(onset, dtstart, recur=None):
    part = icalendar.TimezoneDaylight() if onset.daylight else icalendar.TimezoneStandard()
    part.add("tzoffsetfrom", onset.offset_from)
    part.add("tzoffsetto", onset.offset_to)
    part.add("tzname", onset.name)
    part.add("dtstart", dtstart)
    if recur:
        part.add("rrule", recur)
    return part


def add_feed_headers(calendar, name, refresh):
    """The name subscribers see, and how often (a timedelta) they should fetch again."""
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    # RFC 7986 requires VALUE=DURATION, which icalendar's refresh_interval leaves out;
    # Outlook reads X-PUBLISHED-TTL instead.
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(refresh))
    return calendar


def one_line(*texts):
    """Texts of one or several lines (a name, an address) on one line, as calendars and
    map links show a place: "Espace Jeunes, 14 rue des Terrils, 62300 Lens"."""
    lines = (line.strip() for text in texts for line in text.splitlines())
    return ", ".join(line for line in lines if line)


def calendar_file_response(body, filename):
    """A calendar file to save or open: one appointment, one event."""
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def conditional_feed_response(request, build, filename, *, etag, last_modified=None, private=False):
    """A feed that calendar clients poll, shown inline; `build()` gives its body and is
    called only when the client's copy is not current: a 304 costs what `etag` (quoted)
    and `last_modified` (an aware datetime, or None) cost.

    `private=True` is for a feed whose secret address is its credential (a counsellor's
    appointments): private caching, no Referer sent on, not indexed, and nothing that
    would write the address to the logs. That is why the validators are compared here,
    in both modes, rather than by Django's get_conditional_response: it logs the request
    path when it answers 412 (to If-Match or If-Unmodified-Since, which calendar clients
    do not send anyway), and that path holds the secret.
    """
    if _unchanged_for_client(request, etag, last_modified):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(build(), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(False, filename)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = PRIVATE_FEED_CACHE if private else PUBLIC_FEED_CACHE
    return keep_secret(response) if private else response


def keep_secret(response):
    """For any answer at a secret address, refusals included: the address is not sent on
    as a Referer, not indexed, and not logged by Django (a response marked as already
    logged is skipped by its request logging)."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response._has_been_logged = True
    return response


def _unchanged_for_client(request, etag, last_modified):
    """If-None-Match, compared weakly as RFC 9110 asks (a proxy may have added W/); only
    without it, If-Modified-Since."""
    if "If-None-Match" in request.headers:
        tags = parse_etags(request.headers["If-None-Match"])
        return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified is not None and last_modified.timestamp() <= since
