"""Lines another app adds to the dates of an events app's calendar files, with neither
importing the other: the events app writes the files and asks `notes(pages, now=...)`;
booking, which keeps the seats, answers through `notes_wanted` (connected in
`BookingConfig.ready`) with the seats left of each date taking registrations."""

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Receivers get `pages` (event pages, their dates prefetched) and `now`, and return
# {(page pk, date key): text} (or `Notes`, to say when they stop being true), the key as
# `events.occurrences.Occurrence.key` names it, or (page pk, SERIES) for what a page's
# repeated dates written as one calendar rule say together.
notes_wanted = Signal()
SERIES = "series"


class Notes(dict):
    """{(page pk, date key): text}, and `until`: the soonest moment one of them changes
    by time alone (a date's registrations closing), None when none does. Whatever keeps
    something written from them (a feed's ETag) keeps it no longer."""

    def __init__(self, texts=(), *, until=None):
        super().__init__(texts)
        self.until = until


def notes(pages, *, now):
    """The Notes of every date of `pages` someone has a note for. A failing receiver is
    logged and left out: the calendars are still served."""
    found = Notes()
    for receiver, answer in notes_wanted.send_robust(sender=None, pages=pages, now=now):
        if isinstance(answer, Exception):
            logger.error("notes_wanted receiver %r failed", receiver, exc_info=answer)
            continue
        for key, text in (answer or {}).items():
            found[key] = "\n".join(part for part in (found.get(key), text) if part)
        until = getattr(answer, "until", None)
        if until is not None and (found.until is None or until < found.until):
            found.until = until
    return found
