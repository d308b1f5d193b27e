"""Dates, times and durations as people say them, in one style for the whole site:
"mardi 8 décembre à 14 h", "14 h 30", "1 h 30", "1er septembre".

- A time is "14 h" on the hour and "14 h 30" otherwise, as French typography writes it
  (the msgids are the English "14:00" and "14:30").
- A day is "mardi 8 décembre"; the year is added ("mardi 8 décembre 2027") only when it
  is not the current year. The first of a month is "1er septembre", as French writes it
  (the catalogue gives the "er"). `long_date` writes a date always with its year and
  without its weekday ("1er septembre 2027"), for records and legal texts.
- Always in the active time zone, the structure's (its requests run in it, and so do
  the messages and files made for its bookings), whatever the visitor's or the admin
  user's, and so is "the current year". `today` fixes it for tests.

Pure functions, so e-mails, calendar files and admin columns import them without going
through a template tag; `core_tags` makes the template filters of them.
"""

from datetime import datetime, time

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def local_date(value):
    """The structure's calendar day of `value`: an aware datetime is converted to its time
    zone, a naive one is taken as its wall clock already, and a date is itself."""
    if not isinstance(value, datetime):
        return value
    return _wall_clock(value).date()


def local_midnight(day):
    """The start of `day` in the structure's time zone, as an aware datetime."""
    return datetime.combine(day, time(), tzinfo=timezone.get_current_timezone())


def local_day(value, today=None):
    """ "mardi 8 décembre", or "mardi 8 décembre 2027" outside the current year."""
    day = local_date(value)
    today = today or timezone.localdate(timezone=timezone.get_current_timezone())
    return _in_words(day, "l {day} F" if day.year == today.year else "l {day} F Y")


def long_date(value):
    """ "8 décembre 2027", "1er septembre 2027": a day on record, year always said."""
    return _in_words(local_date(value), "{day} F Y")


def day_and_month(value):
    """ "8 décembre", "1er septembre": one end of a range whose year goes without saying."""
    return _in_words(local_date(value), "{day} F")


def local_time(moment):
    """ "14 h" on the hour, "14 h 30" otherwise (the French catalogue gives the "h").
    `moment` is a datetime, or a time of day such as opening hours."""
    local = _wall_clock(moment)
    if local.minute:
        return _("%(hour)d:%(minute)02d") % {"hour": local.hour, "minute": local.minute}
    return _("%(hour)d:00") % {"hour": local.hour}


def local_when(moment, today=None):
    """ "mardi 8 décembre à 14 h 30"."""
    return _("%(day)s at %(time)s") % {
        "day": local_day(moment, today),
        "time": local_time(moment),
    }


def duration(minutes):
    """ "45 min", "1 h", "1 h 30"."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": rest}
    if not rest:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": rest}


def _in_words(day, layout):
    """`day` in a date format layout whose day of the month is "{day}", said as the
    language says it ("1er" in French); each of its characters is escaped, so the
    format reads it as text."""
    if day.day == 1:
        number = pgettext("the first day of a month, as in '1 September'", "1")
    else:
        number = str(day.day)
    escaped = "".join("\\" + character for character in number)
    return formats.date_format(day, layout.format(day=escaped))


def _wall_clock(moment):
    if isinstance(moment, datetime) and timezone.is_aware(moment):
        return moment.astimezone(timezone.get_current_timezone())
    return moment
