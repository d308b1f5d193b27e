"""Google Calendar and Outlook.com links for the "add to my calendar" include."""

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from home import calendar_links
from home.models import SiteIdentity

register = template.Library()


@register.simple_tag
def calendar_urls(title, start, end, details="", location=""):
    return {
        "google": calendar_links.google_event(title, start, end, details, location),
        "outlook": calendar_links.outlook_event(title, start, end, details, location),
    }


@register.simple_tag(takes_context=True)
def appointment_calendar_urls(context, booking):
    """Links for a booking, with only what Google and Microsoft may keep: the format,
    the counsellor's first name, the place and the site name. Nothing about the young
    person, and not the manage link, which is a secret."""
    request = context.get("request")
    site_name = SiteIdentity.for_request(request).name if request else settings.WAGTAIL_SITE_NAME
    title = _("%(format)s with %(counsellor)s") % {
        "format": booking.format.name,
        "counsellor": booking.counsellor.first_name,
    }
    place = booking.place
    lines = [place.name, *place.address.splitlines()]
    location = ", ".join(line.strip() for line in lines if line.strip())
    urls = calendar_urls(title, booking.start, booking.end, site_name, location)
    return {**urls, "title": title}
