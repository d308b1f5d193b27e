"""The seats left of each event date taking registrations, as the events feed and each
event's .ics say them in a date's DESCRIPTION (through `core.date_notes`, since events
never imports booking): "Places restantes : 3 sur place, en ligne sans limite", or
"Complet — liste d’attente"; and, for repeated dates written as one calendar rule, one
line saying where each date's seats are. One query for every page, whatever their
number. The notes hold until the soonest cut-off or start of the dates (`until`), when
a waiting list closes or a date stops taking registrations with nobody registering."""

from django.utils.translation import gettext as _

from booking.services import registrations
from core.date_notes import SERIES, Notes


def on_notes_wanted(sender, pages, now, **kwargs):
    listed = [
        (page, list(page.upcoming_registration_occurrences(now).values()))
        for page in pages
        if registrations.modes_of(page)
    ]
    texts = {
        (page.pk, date_seats.key): seats_text(date_seats)
        for (page, _dates), found in zip(
            listed, registrations.seats_of_events(listed, now=now), strict=True
        )
        for date_seats in found
    }
    texts.update({(page.pk, SERIES): series_text() for page, dates in listed if dates})
    changes = [registrations.seats_change_at(page, dates, now) for page, dates in listed]
    return Notes(texts, until=min(filter(None, changes), default=None))


def seats_text(date_seats):
    modes = date_seats.modes
    if modes and all(mode.full for mode in modes):
        waiting = any(mode.waiting_list for mode in modes)
        return _("Full — waiting list") if waiting else _("Full")
    return _("Seats left: %(modes)s") % {"modes": ", ".join(map(_mode_text, modes))}


def series_text():
    """What one calendar entry standing for many dates can say of their seats, which
    differ from date to date: where to see them."""
    return _("Registration required: the seats left of each date are on the event's page.")


def _mode_text(mode):
    on_site = mode.mode == registrations.Mode.ON_SITE
    if mode.left is None:
        return _("on site without limit") if on_site else _("online without limit")
    if mode.full:
        return _("full on site") if on_site else _("full online")
    values = {"count": mode.left}
    return (_("%(count)s on site") if on_site else _("%(count)s online")) % values
