"""An event page's registrations: each date to come with its seats per mode and the
link to register (`{% event_registration page upcoming_occurrences %}`). The event
page stays the events app's; booking reads it duck-typed, never imported."""

from django import template

from booking.services import registrations

register = template.Library()


@register.inclusion_tag("booking/registrations/includes/event_registration.html")
def event_registration(page, occurrences):
    """One query for the seats of every date shown, whatever their number. Nothing in
    the preview of a page not yet saved: nobody can register for it."""
    if page.pk is None or not registrations.modes_of(page):
        return {"dates": []}
    return {"page": page, "dates": registrations.seats(page, occurrences)}
