"""Lines another app adds to the dates of an events app's calendar files, with neither
importing the other: the events app writes the files and asks `notes(pages, now=...)`;
booking, which keeps the seats, answers through `notes_wanted` (connected in
`BookingConfig.ready`) with the seats left of each date taking registrations."""

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Receivers get `pages` (event pages, their dates prefetched) and `now`, and return
# {(page pk, date key): text}, the key as `events.occurrences.Occurrence.key` names it.
notes_wanted = Signal()


def notes(pages, *, now):
    """{(page pk, date key): text} for every date of `pages` someone has a note for.
    A failing receiver is logged and left out: the calendars are still served."""
    found = {}
    for receiver, answer in notes_wanted.send_robust(sender=None, pages=pages, now=now):
        if isinstance(answer, Exception):
            logger.error("notes_wanted receiver %r failed", receiver, exc_info=answer)
            continue
        for key, text in (answer or {}).items():
            found[key] = "\n".join(part for part in (found.get(key), text) if part)
    return found
