"""How fast a counsellor's calendar feed answers: the full build against what the
icalendar library alone needs for the same events, and a conditional request answered
"304 Not Modified". Prints figures, asserts nothing.

    .venv/bin/python bench/feed.py [--profile]

Uses the database of bench/ics.py (one counsellor, 1,000 bookings, 20 group sessions, in
a throwaway SQLite file). "icalendar alone" adds the very same property values, already
computed, to icalendar components and encodes them: the part of the build we cannot
remove. The ratio is our build over that; the goal is at most 1.3. `--profile` prints
where our build spends its time (cProfile).
"""

import cProfile
import pstats
import statistics
import sys
import time
from datetime import UTC, datetime

import throwaway  # sets Django up: before anything that needs it

# isort: split

import icalendar
from django.test import Client
from django.urls import reverse
from ics import NOW, build

from booking.calendars import feed
from structures.models import Structure

RUNS = 9
REQUESTS = 200


def median_ms(function, runs):
    times = []
    for _ in range(runs):
        started = time.process_time()
        function()
        times.append(time.process_time() - started)
    return statistics.median(times) * 1000


def the_same_events(body):
    """The feed's components as (name, [(property, value, parameters)]), values decoded."""
    calendar = icalendar.Calendar.from_ical(body)

    def python(value):
        # The parser's UTC is a zoneinfo; the feed writes datetime.UTC, cheaper to name.
        return value.astimezone(UTC) if isinstance(value, datetime) else value

    def properties(component):
        return [
            (name, python(component.decoded(name)), dict(value.params))
            for name, value in component.property_items(recursive=False)
            if name not in ("BEGIN", "END")
        ]

    return properties(calendar), [properties(event) for event in calendar.walk("VEVENT")]


def icalendar_alone(headers, events):
    calendar = icalendar.Calendar()
    for name, value, parameters in headers:
        calendar.add(name, value, parameters=parameters or None)
    for properties in events:
        event = icalendar.Event()
        for name, value, parameters in properties:
            event.add(name, value, parameters=parameters or None)
        calendar.add_component(event)
    return calendar.to_ical()


def main():
    counsellor = build()
    lens = Structure.default()
    token = feed.issue_token(counsellor)
    throwaway.report_machine(RUNS)
    body = feed.counsellor_calendar(counsellor, lens, NOW)
    headers, events = the_same_events(body)
    same = icalendar_alone(headers, events) == body
    throwaway.report(
        f"feed: {len(events)} events, {len(body):,} bytes; "
        f"icalendar alone writes {'the same' if same else 'DIFFERENT'} bytes"
    )

    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        profile.runcall(feed.counsellor_calendar, counsellor, lens, NOW)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)

    ours = median_ms(lambda: feed.counsellor_calendar(counsellor, lens, NOW), RUNS)
    alone = median_ms(lambda: icalendar_alone(headers, events), RUNS)
    throwaway.report(f"our build: {ours:.0f} ms CPU (median of {RUNS})")
    throwaway.report(f"icalendar alone, same events: {alone:.0f} ms CPU")

    client = Client(HTTP_HOST="localhost")
    url = reverse("booking:counsellor_feed", args=[token])
    etag = client.get(url)["ETag"]
    started = time.perf_counter()
    for _ in range(REQUESTS):
        answer = client.get(url, headers={"if-none-match": etag})
    not_modified = (time.perf_counter() - started) / REQUESTS * 1000
    throwaway.report(f"conditional request: {answer.status_code}, {not_modified:.1f} ms each")
    throwaway.report(f"feed: ratio {ours / alone:.2f}, 304 {not_modified:.1f} ms")


if __name__ == "__main__":
    throwaway.run(main)
