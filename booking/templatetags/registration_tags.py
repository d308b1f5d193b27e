"""An event page's registrations: each date to come with its seats per mode and the
link to register (`{% event_registration page upcoming_occurrences %}`). The event
page stays the events app's; booking reads it duck-typed, never imported."""

from django import template
from django.utils import timezone

from booking.services import registrations
from core import pagecache

register = template.Library()


@register.inclusion_tag(
    "booking/registrations/includes/event_registration.html", takes_context=True
)
def event_registration(context, page, occurrences):
    """One query for the seats of every date shown, whatever their number. Nothing in
    the preview of a page not yet saved: nobody can register for it. What it says holds
    until a date's cut-off or start (a waiting list closing), which the page is kept no
    longer than (`pagecache.changes_at`)."""
    if page.pk is None or not registrations.modes_of(page):
        return {"dates": []}
    now = timezone.now()
    if request := context.get("request"):
        pagecache.changes_at(request, registrations.seats_change_at(page, occurrences, now))
    return {"page": page, "dates": registrations.seats(page, occurrences, now=now)}
