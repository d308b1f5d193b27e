"""Google Calendar and Outlook.com links for the "add to my calendar" include (an
appointment's come from booking_tags.appointment_calendar_urls)."""

from django import template

from core import calendar_links

register = template.Library()


@register.simple_tag
def calendar_urls(title, start, end, details="", location=""):
    return {
        "google": calendar_links.google_event(title, start, end, details, location),
        "outlook": calendar_links.outlook_event(title, start, end, details, location),
    }
