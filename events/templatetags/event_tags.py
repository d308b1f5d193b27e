"""Event dates written the French way, e.g. "mercredi 3 mars 2027, de 14 h à 17 h", each
part in a <time> element so machines read the same date as people; and the home page's
next events."""

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

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
    start = timezone.localtime(occurrence.start)
    end = timezone.localtime(occurrence.end)
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
        '<time datetime="{}">{}</time>',
        moment.date().isoformat(),
        formats.date_format(moment, "l j F Y"),
    )


def _clock(moment):
    if moment.minute:
        text = _("%(hours)d h %(minutes)02d") % {"hours": moment.hour, "minutes": moment.minute}
    else:
        text = _("%(hours)d h") % {"hours": moment.hour}
    return format_html('<time datetime="{}">{}</time>', moment.isoformat(), text)
