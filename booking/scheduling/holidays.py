"""French public holidays, computed so nobody has to type next year's dates.

Metropolitan France: eight fixed dates plus three that follow Easter. Alsace-Moselle's
extra days (Good Friday, 26 December) are not included.
"""

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

FIXED_HOLIDAYS = {
    (1, 1): _("New Year's Day"),
    (5, 1): _("Labour Day"),
    (5, 8): _("Victory in Europe Day"),
    (7, 14): _("Bastille Day"),
    (8, 15): _("Assumption Day"),
    (11, 1): _("All Saints' Day"),
    (11, 11): _("Armistice Day"),
    (12, 25): _("Christmas Day"),
}


def easter_sunday(year):
    """Gregorian Easter (anonymous Gregorian algorithm, a.k.a. Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year):
    """{date: name} of the French public holidays of `year`."""
    easter = easter_sunday(year)
    holidays = {date(year, month, day): name for (month, day), name in FIXED_HOLIDAYS.items()}
    holidays[easter + timedelta(days=1)] = _("Easter Monday")
    holidays[easter + timedelta(days=39)] = _("Ascension Day")
    holidays[easter + timedelta(days=50)] = _("Whit Monday")
    return holidays


def public_holidays_between(first, last):
    """{date: name} of the public holidays from `first` to `last`, both included."""
    return {
        day: name
        for year in range(first.year, last.year + 1)
        for day, name in public_holidays(year).items()
        if first <= day <= last
    }
