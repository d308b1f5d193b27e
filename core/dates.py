"""Dates, times and durations as people say them: "mardi 8 décembre à 14 h 30", "1 h 30".

Always in the structure's time zone (settings.TIME_ZONE), whatever the visitor's.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _


def local_day(moment):
    """ "mardi 8 décembre"."""
    return formats.date_format(timezone.localtime(moment), "l j F")


def local_time(moment):
    """ "14 h 30" (the French catalogue gives the "h")."""
    local = timezone.localtime(moment)
    return _("%(hour)d:%(minute)02d") % {"hour": local.hour, "minute": local.minute}


def local_when(moment):
    """ "mardi 8 décembre à 14 h 30"."""
    return _("%(day)s at %(time)s") % {"day": local_day(moment), "time": local_time(moment)}


def duration(minutes):
    """ "45 min", "1 h", "1 h 30"."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": rest}
    if not rest:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": rest}
