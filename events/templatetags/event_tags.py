"""Event dates in the site's one style (core.dates), e.g. "mercredi 3 mars, de 14 h à
17 h", each part in a <time> element so machines read the same date as people; and the
home page's next events."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core import dates
from events.models import EventIndexPage, EventPage

register = template.Library()

# How many events the home page shows.
UPCOMING_COUNT = 3


@register.inclusion_tag("events/includes/upcoming_events.html", takes_context=True)
def upcoming_events(context):
    """The next public events, soonest first, and the list page to see them all; two
    queries for the events and their dates, whatever their number. Nothing without a
    list page."""
    index = EventIndexPage.objects.live().public().first()
    return {
        "request": context.get("request"),
        "event_index": index,
        "events": EventPage.objects.live().public().upcoming(limit=UPCOMING_COUNT) if index else [],
    }


@register.simple_tag
def occurrence_when(occurrence):
    zone = timezone.get_current_timezone()
    start = timezone.localtime(occurrence.start, zone)
    end = timezone.localtime(occurrence.end, zone)
    if start.date() == end.date():
        return format_html(
            _("{day}, from {start} to {end}"),
            day=_day(start),
            start=_clock(start),
            end=_clock(end),
        )
    return format_html(
        _("from {start_day} at {start} to {end_day} at {end}"),
        start_day=_day(start),
        start=_clock(start),
        end_day=_day(end),
        end=_clock(end),
    )


def _day(moment):
    return format_html(
        '<time datetime="{}">{}</time>', moment.date().isoformat(), dates.local_day(moment)
    )


def _clock(moment):
    return format_html(
        '<time datetime="{}">{}</time>', moment.isoformat(), dates.local_time(moment)
    )
