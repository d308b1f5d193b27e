"""Template helpers every app shares.

Filters over core.dates, so every page writes dates the same way (never Django's
`date` filter, which would say "1 septembre"): {{ booking.start|local_when }},
{{ day|local_day }}, {{ slot.start|local_time }}, {{ person.created_at|long_date }},
{{ week|day_and_month }}, {{ format.duration_minutes|duration }}; and `calendar_urls`,
the Google Calendar and Outlook.com links of the "add to my calendar" include.
"""

from django import template

from core import calendar_links, dates

register = template.Library()

register.filter("local_day", dates.local_day)
register.filter("long_date", dates.long_date)
register.filter("day_and_month", dates.day_and_month)
register.filter("local_time", dates.local_time)
register.filter("local_when", dates.local_when)
register.filter("duration", dates.duration)


@register.simple_tag
def calendar_urls(title, start, end, details="", location=""):
    """Only what Google and Microsoft may keep: callers pass no personal data and no
    secret link (an appointment's come from booking_tags.appointment_calendar_urls)."""
    return {
        "google": calendar_links.google_event(title, start, end, details, location),
        "outlook": calendar_links.outlook_event(title, start, end, details, location),
    }
