"""Template filters over core.dates, so every page writes dates the same way:
{{ booking.start|local_when }}, {{ day|local_day }}, {{ slot.start|local_time }},
{{ format.duration_minutes|duration }}."""

from django import template

from core import dates

register = template.Library()

register.filter("local_day", dates.local_day)
register.filter("local_time", dates.local_time)
register.filter("local_when", dates.local_when)
register.filter("duration", dates.duration)
