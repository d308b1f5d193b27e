"""The seats left of each event date taking registrations, as the events feed and each
event's .ics say them in a date's DESCRIPTION (through `core.date_notes`, since events
never imports booking): "Places restantes : 3 sur place, en ligne sans limite", or
"Complet — liste d’attente". One query for every page, whatever their number."""

from django.utils.translation import gettext as _

from booking.services import registrations


def on_notes_wanted(sender, pages, now, **kwargs):
    listed = [
        (page, list(page.upcoming_registration_occurrences(now).values()))
        for page in pages
        if registrations.modes_of(page)
    ]
    return {
        (page.pk, date_seats.key): seats_text(date_seats)
        for (page, _dates), found in zip(
            listed, registrations.seats_of_events(listed, now=now), strict=True
        )
        for date_seats in found
    }


def seats_text(date_seats):
    modes = date_seats.modes
    if modes and all(mode.full for mode in modes):
        waiting = any(mode.waiting_list for mode in modes)
        return _("Full — waiting list") if waiting else _("Full")
    return _("Seats left: %(modes)s") % {"modes": ", ".join(map(_mode_text, modes))}


def _mode_text(mode):
    on_site = mode.mode == registrations.Mode.ON_SITE
    if mode.left is None:
        return _("on site without limit") if on_site else _("online without limit")
    if mode.full:
        return _("full on site") if on_site else _("full online")
    values = {"count": mode.left}
    return (_("%(count)s on site") if on_site else _("%(count)s online")) % values
