"""The event list and an event page render in the same few queries however many events
and dates there are, with the layout's fragments cached."""

from datetime import timedelta

from django.utils import timezone

from tests.core.support import queries_of_a_render

from .factories import EventOccurrenceFactory, EventPageFactory

# Measured: no query for the page, kept with the route of its address (core.routes), then
# the events and their dates when the list's content is rendered ({% pagecontentcache
# %}), and the event's dates (one query, read by every helper, when its content is
# rendered).
INDEX_QUERIES = {"kept": 0, "rendered": 3}
EVENT_QUERIES = {"kept": 0, "rendered": 2}


def test_the_list_and_an_event_cost_the_same_queries_for_3_or_30_events_and_dates(
    fragments_cached, index
):
    event = EventPageFactory(parent=index)
    counts = []
    for number in (3, 30):
        while index.get_children().count() < number:
            EventOccurrenceFactory(page=EventPageFactory(parent=index))
        while event.occurrences.count() < number:
            days = event.occurrences.count() + 1
            EventOccurrenceFactory(page=event, start=timezone.now() + timedelta(days=days))
        for content in ("kept", "rendered"):
            kept = content == "kept"
            counts.append(
                (
                    content,
                    queries_of_a_render(fragments_cached, index.url, content_kept=kept),
                    queries_of_a_render(fragments_cached, event.url, content_kept=kept),
                )
            )
    expected = [
        (content, INDEX_QUERIES[content], EVENT_QUERIES[content])
        for content in ("kept", "rendered")
    ]
    assert counts == expected * 2
