"""The meeting's admin page shows what came after the day with one tag, so that page's
view (eventdays.speed.admin) needs nothing of the follow-ups."""

from django import template
from django.utils import timezone

from ..speed import follow_ups
from ..speed.timetable import Phase, moment

register = template.Library()


@register.inclusion_tag("eventdays/speed/admin/follow_ups_figures.html")
def speed_follow_ups(meeting):
    """Nothing (and no query) until the last round is over."""
    if moment(meeting, timezone.now()).phase != Phase.OVER:
        return {"figures": None}
    return {"meeting": meeting, "figures": follow_ups.figures(meeting), "link": True}
