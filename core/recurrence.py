"""The days a django-recurrence `Recurrence` falls on, in the structure's calendar.

Booking's opening hours and events' repeated dates both store *which days* this way
(rules, exclusion rules, extra and excluded dates); their hours are wall-clock fields of
their own, combined with each day by the caller so 14:00 stays 14:00 across DST changes.

- A stored date counts by its local day (core.dates.local_date): the admin widget
  writes a picked date as the local midnight in UTC, so an excluded date removes its
  day whatever the time stored.
- Rules run from an anchor day, which decides which week a fortnightly rule falls on and
  where COUNT starts: the recurrence's own DTSTART when it has one (then also a day of
  its own), else the caller's. Without an anchor only the extra dates count.
- dateutil deprecates COUNT together with UNTIL (and will refuse it), so a COUNT rule is
  expanded without UNTIL and cut at the last day by hand.
- A daily or weekly rule without COUNT repeats exactly every lcm of its periods, so its
  anchor may move forward by whole periods towards the first day asked for: expanding a
  week in 2027 of a rule anchored in 2024 does not walk every week since. A COUNT rule
  keeps its real anchor, since its count starts there.
"""

import math
from datetime import datetime, time, timedelta
from itertools import takewhile

from dateutil import rrule as dateutil_rrule

from core.dates import local_date


def local_days(recurrence, *, last, first=None, anchor=None):
    """The days (dates, in order, each once) from `first` (or the beginning) to `last`,
    both included, on which `recurrence` falls. A generator: stop whenever you like."""
    if recurrence.dtstart:
        anchor = local_date(recurrence.dtstart)
    days = dateutil_rrule.rruleset()
    if anchor is not None:
        start = _fast_forward(recurrence, anchor, first) if first else anchor
        for rule in recurrence.rrules:
            _add(days, rule_dates(rule, start, last))
        for rule in recurrence.exrules:
            _add(days, rule_dates(rule, start, last), exclude=True)
    extra = [*recurrence.rdates]
    if recurrence.dtstart and recurrence.include_dtstart:
        extra.append(recurrence.dtstart)
    for day in map(local_date, extra):
        if (first is None or first <= day) and day <= last:
            days.rdate(_midnight(day))
    for day in map(local_date, recurrence.exdates):
        days.exdate(_midnight(day))
    moments = days.xafter(_midnight(first), inc=True) if first else iter(days)
    return (moment.date() for moment in moments)


def rule_dates(rule, anchor, last=None):
    """The days of one django-recurrence rule from the day `anchor` up to the day `last`
    (None: no end), as naive midnights: a dateutil rrule, or for a COUNT rule the list of
    its days (see the module docstring)."""
    start = _midnight(anchor)
    if rule.count:
        dates = rule.to_dateutil_rrule(dtstart=start)
        if last is None:
            return list(dates)
        return list(takewhile(lambda day: day <= _midnight(last), dates))
    return rule.to_dateutil_rrule(dtstart=start, dtend=_midnight(last) if last else None)


def _add(days, dates, exclude=False):
    if isinstance(dates, dateutil_rrule.rrule):
        (days.exrule if exclude else days.rrule)(dates)
    else:
        for day in dates:
            (days.exdate if exclude else days.rdate)(day)


def _fast_forward(recurrence, anchor, first):
    """`anchor` moved by whole periods to the last one starting on or before `first`,
    when every rule is daily or weekly without COUNT; else `anchor` itself."""
    rules = [*recurrence.rrules, *recurrence.exrules]
    if anchor >= first or not rules:
        return anchor
    period_days = 1
    for rule in rules:
        if rule.count or rule.freq not in (dateutil_rrule.DAILY, dateutil_rrule.WEEKLY):
            return anchor
        days = rule.interval * (7 if rule.freq == dateutil_rrule.WEEKLY else 1)
        period_days = math.lcm(period_days, days)
    periods = (first - anchor).days // period_days
    return anchor + timedelta(days=periods * period_days)


def _midnight(day):
    return datetime.combine(day, time())
