"""Events as iCalendar files: one event to download, and the feed of upcoming events.

Choices, each made so that Google, Outlook, Apple and Thunderbird show the same dates
as the page (events.occurrences is the reference; the tests compare both):

- One-off dates are one VEVENT each, in UTC, UID ``event-<page>-date-<row>@<domain>``:
  the row's pk never changes, so a calendar updates the date instead of adding a copy.
- A recurrence one rule can say is ONE VEVENT, UID ``event-<page>@<domain>``, with
  wall-clock DTSTART;TZID=<the event's zone> and an RRULE, so 14:00 stays 14:00 on both
  sides of a DST change; UNTIL is the UTC instant of the last start, excluded days are
  EXDATEs at the same wall-clock time, and a moved day is a second VEVENT with the same
  UID and a RECURRENCE-ID (its original start).
- Every other recurring day (an extra date, or every date of several rules or of an
  exclusion rule, deprecated in RFC 5545 and ignored by ical.js) is a VEVENT of its own,
  in UTC, UID ``event-<page>-day-<YYYYMMDD>@<domain>``, moved or not. Never an RDATE:
  node-ical does not expand it, the `ical` library drops the first one and libical reads
  RDATE;TZID as UTC, so each client showed a different list.
- The zone is the one the event's wall-clock hours are in (events.occurrences reads them
  in the default time zone, Europe/Paris), and its VTIMEZONE has yearly rules, as Google
  writes them (core.ical.vtimezone): icalendar's own lists RDATEs, which Outlook
  mishandles.
- DTSTAMP and LAST-MODIFIED are the page's last publication and SEQUENCE the number of
  publications before the current one, so regenerating gives the same bytes (ETag and
  304 work) and every republication, the only way new dates reach the public, raises
  SEQUENCE. It also rises when only the text changed, which costs clients nothing.
- No personal data: contact details stay on the page.
- A date's notes from other apps (`core.date_notes`: the seats left where it takes
  registrations) end its DESCRIPTION. The RRULE VEVENT stands for many dates, whose
  seats differ: it says the page's note for them all (`date_notes.SERIES`: where each
  date's seats are), which every client shows on every instance, rather than one
  overriding VEVENT per date (a RECURRENCE-ID each: a file growing with the horizon,
  rewritten at every seat taken). Each moved or listed day, a VEVENT of its own, has
  its own seats.
"""

from datetime import UTC, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _
from recurrence.base import Rule, to_weekday
from wagtail.models import Site

from core.date_notes import SERIES
from core.dates import local_date
from core.ical import add_feed_headers, new_calendar, one_line, vtimezone
from core.recurrence import rule_dates

from . import occurrences

PRODID = "-//Passerelle//Evenements//FR"
# How often subscribed calendars are asked to fetch the feed again.
FEED_REFRESH = timedelta(hours=1)
# For pages never published through Wagtail (fixtures): still deterministic.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def event_calendar(page, request=None, zone=None, notes=None):
    """The .ics (bytes) of one event, all its dates. ``page`` comes from
    ``EventPage.objects.with_publication_count()``; ``zone`` (a ZoneInfo or its key) is
    the one its hours are in, by default the active one (its structure's); ``notes``:
    ``core.date_notes.notes`` of the page."""
    zone = _zone(zone)
    domain = site_domain(page, request)
    vevents = list(_vevents(page, request, zone, domain, notes or {}))
    return _finish(new_calendar(PRODID), vevents)


def events_feed(pages, name, request=None, zone=None, notes=None):
    """The subscription feed (bytes) of ``pages``, from
    ``EventPage.objects.with_publication_count()`` with their dates prefetched, their
    hours in ``zone`` and their ``notes`` as for event_calendar."""
    zone = _zone(zone)
    calendar = add_feed_headers(new_calendar(PRODID), name, FEED_REFRESH)
    pages = list(pages)
    domain = site_domain(pages[0], request) if pages else "localhost"
    vevents = [
        vevent for page in pages for vevent in _vevents(page, request, zone, domain, notes or {})
    ]
    return _finish(calendar, vevents)


def site_domain(page, request=None):
    """What the UIDs of the page's events end with: its site's host name (the site of
    the request when there is one, read once for a whole feed)."""
    site = Site.find_for_request(request) if request is not None else page.get_site()
    return site.hostname if site else "localhost"


def series_uid(page, domain=None):
    return f"event-{page.pk}@{domain or site_domain(page)}"


def date_uid(page, row, domain=None):
    return f"event-{page.pk}-date-{row.pk}@{domain or site_domain(page)}"


def day_uid(page, day, domain=None):
    return f"event-{page.pk}-day-{day:%Y%m%d}@{domain or site_domain(page)}"


def location(page):
    """Venue and address on one line, the online link, or both for a hybrid event."""
    place, link = "", ""
    if page.attendance_mode != "online":
        place = one_line(page.venue_name, page.address)
    if page.attendance_mode != "in_person":
        link = page.online_url
    if place and link:
        return _("%(place)s, or online: %(link)s") % {"place": place, "link": link}
    return place or link


def description(page, page_url, note="", seats=""):
    parts = [
        note,
        seats,
        page.intro,
        _("What to bring: %(things)s") % {"things": page.what_to_bring}
        if page.what_to_bring
        else "",
        _("All the details: %(url)s") % {"url": page_url},
    ]
    return "\n\n".join(part for part in parts if part)


def _zone(zone):
    """By default the active zone (the structure's), the one events.occurrences reads
    the hours in."""
    if zone is None:
        return timezone.get_current_timezone()
    return ZoneInfo(zone) if isinstance(zone, str) else zone


def _finish(calendar, vevents):
    """The file, with the VTIMEZONE of each zone a DTSTART uses once, before the events
    (every other time of an event is in its DTSTART's zone or in UTC)."""
    for key in sorted({vevent["dtstart"].params.get("TZID") for vevent in vevents} - {None}):
        calendar.add_component(vtimezone(key))
    for vevent in vevents:
        calendar.add_component(vevent)
    return calendar.to_ical()


def _vevents(page, request, zone, domain, notes):
    page_url = page.get_full_url(request)
    rows = list(page.occurrences.all())
    overrides = {day: row for row in rows if (day := _replaced_day(page, row, zone))}
    replacing = {row.pk for row in overrides.values()}

    def note(row, day=None):
        """The row's own note (if any) and the date's notes, by its key as the page's
        dates (events.occurrences.expand) name it."""
        if row is None:
            return "", notes.get((page.pk, occurrences.slot(page, day).key), "")
        key = occurrences.Occurrence(
            row.start, row.end, pk=row.pk, replaces=getattr(row, "replaces_date", None)
        ).key
        return row.note, notes.get((page.pk, key), "")

    for row in rows:
        if row.pk not in replacing:
            yield _dated(page, page_url, date_uid(page, row, domain), row, note(row))
    series, own_days = _series(page, page_url, zone, domain, notes.get((page.pk, SERIES), ""))
    if series is not None:
        yield series
    for day in own_days:
        row = overrides.pop(day, None)
        when = row or occurrences.slot(page, day)
        yield _dated(page, page_url, day_uid(page, day, domain), when, note(row, day))
    for day, row in overrides.items():
        if series is None:  # a day past the listed ones, moved
            yield _dated(page, page_url, day_uid(page, day, domain), row, note(row, day))
        else:
            vevent = _vevent(page, page_url, series_uid(page, domain), note(row, day))
            vevent.add("recurrence-id", occurrences.slot(page, day).start.astimezone(zone))
            vevent.add("dtstart", row.start.astimezone(zone))
            vevent.add("dtend", row.end.astimezone(zone))
            yield vevent


def _dated(page, page_url, uid, when, notes):
    """A VEVENT of one date, in UTC; `when` has a start and an end."""
    vevent = _vevent(page, page_url, uid, notes)
    vevent.add("dtstart", when.start.astimezone(UTC))
    vevent.add("dtend", when.end.astimezone(UTC))
    return vevent


def _replaced_day(page, row, zone):
    """The recurring day ``row`` stands in for: the one it moves, or the one whose slot
    it starts with (it then only adds a note), if that day is in the recurrence."""
    if not (page.recurrence_start_time and page.recurrence_end_time):
        return None
    day = row.replaces_date or timezone.localtime(row.start, zone).date()
    if not row.replaces_date and occurrences.slot(page, day).start != row.start:
        return None
    return day if occurrences.is_recurring_day(page, day) else None


def _vevent(page, page_url, uid, notes):
    """`notes`: (the row's note, the date's notes from other apps)."""
    stamp = page.last_published_at or NEVER
    vevent = icalendar.Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", stamp)
    vevent.add("last-modified", stamp)
    if page.first_published_at:
        vevent.add("created", page.first_published_at)
    vevent.add("sequence", max(page.publication_count - 1, 0))
    vevent.add("summary", page.title)
    if place := location(page):
        vevent.add("location", place)
    vevent.add("description", description(page, page_url, *notes))
    vevent.add("url", page_url)
    vevent.add("status", "CONFIRMED")
    return vevent


def _series(page, page_url, zone, domain, note):
    """The recurrence's RRULE VEVENT (`note` ending its DESCRIPTION), or None if one rule
    cannot say it, and the recurring days written as VEVENTs of their own."""
    recurrence = page.recurrence
    if not recurrence or not (page.recurrence_start_time and page.recurrence_end_time):
        return None, []
    rule_days = _single_rule_days(page)
    if rule_days is None:
        return None, _listed_days(page)
    vevent = _vevent(page, page_url, series_uid(page, domain), ("", note))
    first, extra = _as_one_rule(page, rule_days, vevent, zone)
    first_slot = occurrences.slot(page, first)
    vevent.add("dtstart", first_slot.start.astimezone(zone))
    vevent.add("dtend", first_slot.end.astimezone(zone))
    return vevent, extra


def _as_one_rule(page, rule_days, vevent, zone):
    """Add the RRULE and its EXDATEs to `vevent`; (first day, the extra days)."""
    recurrence = page.recurrence
    vevent.add("rrule", _rrule(page, rule_days))
    excluded = {
        day
        for day in map(local_date, recurrence.exdates)
        if datetime.combine(day, time()) in rule_days
    }
    extra = sorted(
        day
        for day in map(local_date, recurrence.rdates)
        if datetime.combine(day, time()) not in rule_days
        and day not in excluded
        and (page.recurrence_until is None or day <= page.recurrence_until)
    )
    if excluded:
        starts = [occurrences.slot(page, day).start.astimezone(zone) for day in sorted(excluded)]
        vevent.add("exdate", starts)
    return rule_days[0].date(), extra


def _listed_days(page):
    """Every day of a recurrence one RRULE cannot say, up to the page's horizon (so this
    form depends on the day it is written)."""
    horizon = timezone.localdate() + occurrences.RECURRENCE_HORIZON
    days = occurrences.recurrence_days(page, last_day=horizon)
    return list(islice(days, occurrences.MAX_OCCURRENCES))


def _single_rule_days(page):
    """The days of the page's rule when one RRULE can say it (extra dates aside), else
    None: that needs exactly one rule, no exclusion rule, its anchor date and a day."""
    recurrence = page.recurrence
    if len(recurrence.rrules) != 1 or recurrence.exrules or not page.recurrence_from:
        return None
    days = rule_dates(recurrence.rrules[0], page.recurrence_from, page.recurrence_until)
    return None if next(iter(days), None) is None else days


def _rrule(page, days):
    """The django-recurrence rule as an RRULE; COUNT and the page's last day become one
    UNTIL: the UTC instant of the last start, as RFC 5545 wants with a TZID DTSTART."""
    rule = page.recurrence.rrules[0]
    recur = {"FREQ": Rule.frequencies[rule.freq]}
    if rule.interval != 1:
        recur["INTERVAL"] = rule.interval
    if rule.wkst is not None:
        recur["WKST"] = Rule.weekdays[getattr(rule.wkst, "number", rule.wkst)]
    if rule.count or rule.until or page.recurrence_until:
        last_day = days[-1].date()
        recur["UNTIL"] = occurrences.slot(page, last_day).start.astimezone(UTC)
    if rule.byday:
        recur["BYDAY"] = [
            f"{weekday.index or ''}{Rule.weekdays[weekday.number]}"
            for weekday in map(to_weekday, rule.byday)
        ]
    for param in ("bysetpos", "bymonth", "bymonthday", "byyearday", "byweekno"):
        if values := getattr(rule, param):
            recur[param.upper()] = list(values)
    return recur
