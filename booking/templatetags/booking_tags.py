"""An appointment's add-to-calendar links, and a person's contact as staff read it.
Dates are core_tags' filters."""

from django import template
from django.conf import settings

from booking.calendars.ics import booking_summary, place_text
from booking.services.contacts import display_contact
from core import calendar_links

register = template.Library()
register.filter("contact", display_contact)


@register.simple_tag
def appointment_calendar_urls(booking, site_name=""):
    """Google and Outlook.com links for a booking, with only what Google and Microsoft
    may keep: the same title and place as its .ics, and the site name. Nothing about the
    young person, and not the manage link, which is a secret."""
    site_name = site_name or settings.WAGTAIL_SITE_NAME
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
