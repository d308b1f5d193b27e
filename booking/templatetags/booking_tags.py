"""Dates, times and durations as people say them: "mardi 8 décembre à 14 h 30", "1 h 30".

Always in the structure's time zone (settings.TIME_ZONE), whatever the visitor's.
"""

from django import template
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from booking.ics import booking_summary, place_text
from home import calendar_links
from home.models import SiteIdentity

register = template.Library()


@register.filter
def local_day(moment):
    """ "mardi 8 décembre"."""
    return formats.date_format(timezone.localtime(moment), "l j F")


@register.filter
def local_time(moment):
    """ "14 h 30" (the French catalogue gives the "h")."""
    local = timezone.localtime(moment)
    return _("%(hour)d:%(minute)02d") % {"hour": local.hour, "minute": local.minute}


@register.filter
def local_when(moment):
    """ "mardi 8 décembre à 14 h 30"."""
    return _("%(day)s at %(time)s") % {"day": local_day(moment), "time": local_time(moment)}


@register.filter
def duration(minutes):
    """ "45 min", "1 h", "1 h 30"."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": rest}
    if not rest:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": rest}


@register.simple_tag(takes_context=True)
def appointment_calendar_urls(context, booking):
    """Google and Outlook.com links for a booking, with only what Google and Microsoft
    may keep: the same title and place as its .ics, and the site name. Nothing about the
    young person, and not the manage link, which is a secret."""
    request = context.get("request")
    site_name = SiteIdentity.for_request(request).name if request else settings.WAGTAIL_SITE_NAME
    title = booking_summary(booking)
    location = place_text(booking.place)
    return {
        "google": calendar_links.google_event(
            title, booking.start, booking.end, site_name, location
        ),
        "outlook": calendar_links.outlook_event(
            title, booking.start, booking.end, site_name, location
        ),
        "title": title,
    }
