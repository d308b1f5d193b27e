"""What the booking steps cost with 50 counsellors: prints figures, asserts nothing.

    .venv/bin/python bench/booking_steps.py

Builds bench/slots.py's throwaway database (50 counsellors, 12 weeks of opening hours,
2,000 bookings, a weekly group session each) around this week, then times, through
Django's test client, the slot step of "the first person available" (the week shown),
next to computing the whole 90-day horizon, merged, which that step did before to show
one week (on 5bad766: slot step 47 ms, whole horizon 39 ms; now 17 ms). Then counts the queries
of a booking POST through the website's last step and through the API, and times RUNS of
each (each another slot, another new person), as the site runs them here: the
transaction's BEGIN and COMMIT and the notification's task, run at once by the test
settings' task backend, included (on 5bad766: 41 and 31; on 950467c: 29 and 29, median
67 and 40 ms; now 18 and 17, 58 and 36 ms, on 2 cores shared with other work: the
e-mail's task, run at once here, takes most of that time).
The last line reads `booking-steps: slot step <ms> ms, whole horizon <ms> ms, ratio <x>,
POST web <n> queries <ms> ms, API <n> queries <ms> ms`.
"""

import json
import statistics
import time
from datetime import datetime, timedelta

import slots as slots_bench  # sets Django up (through throwaway) and builds the data
import throwaway

# isort: split

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking.models import Format, Place
from booking.scheduling.listing import monday_of, slot_key
from booking.scheduling.loading import find_slots
from booking.scheduling.slots import merge_counsellors
from booking.web.journey import ANY_COUNSELLOR
from structures.models import Structure

RUNS = 7
DETAILS = {
    "first_name": "Bench",
    "email": "bench-web@example.org",
    "phone": "",
    "consent": "on",
    "website": "",
}


def median_ms(action):
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main():
    paris = timezone.get_default_timezone()
    this_monday = monday_of(timezone.localdate())
    slots_bench.NOW = datetime.combine(this_monday, datetime.min.time(), tzinfo=paris) + timedelta(
        hours=7
    )
    throwaway.migrate()
    slots_bench.build()
    individuel = Format.objects.get(slug="individuel")
    structure = Place.objects.get(name="Espace Passerelle")
    choices = {"conseiller": ANY_COUNSELLOR, "format": individuel.slug, "lieu": structure.pk}
    client = Client(SERVER_NAME="localhost")
    step_url = reverse("booking:flow")

    def slot_step():
        response = client.get(step_url, choices)
        assert response.status_code == 200, response.content.decode()

    def whole_horizon():
        found = find_slots(Structure.default(), formats=[individuel])
        merge_counsellors([s for s in found if s.place.pk == structure.pk])

    step_ms = median_ms(slot_step)
    horizon_ms = median_ms(whole_horizon)
    throwaway.report(f"{'slot step, first available':<32} median {step_ms:5.0f} ms per page view")
    throwaway.report(f"{'whole horizon (as before)':<32} median {horizon_ms:5.0f} ms")

    free = [
        s
        for s in find_slots(Structure.default(), formats=[individuel])
        if s.place.pk == structure.pk
    ]
    web_queries, web_ms = post_figures(
        lambda run: client.post(
            step_url,
            {
                **choices,
                "creneau": slot_key(free[run]),
                "etape": "coordonnees",
                **DETAILS,
                "email": f"bench-web-{run}@example.org",
            },
        ),
        303,
    )
    api_queries, api_ms = post_figures(
        lambda run: client.post(
            "/api/v1/bookings",
            json.dumps(
                {
                    "counsellor": free[-1 - run].counsellor.slug,
                    "format": individuel.slug,
                    "start": free[-1 - run].start.isoformat(),
                    "place": structure.pk,
                    "first_name": "Bench",
                    "email": f"bench-api-{run}@example.org",
                    "consent": True,
                }
            ),
            content_type="application/json",
        ),
        201,
    )
    throwaway.report(
        f"{'POST, website last step':<32} {web_queries} queries, median {web_ms:.1f} ms"
    )
    throwaway.report(f"{'POST, API':<32} {api_queries} queries, median {api_ms:.1f} ms")
    throwaway.report(
        f"booking-steps: slot step {step_ms:.0f} ms, whole horizon {horizon_ms:.0f} ms, "
        f"ratio {horizon_ms / step_ms:.1f}, POST web {web_queries} queries {web_ms:.1f} ms, "
        f"API {api_queries} queries {api_ms:.1f} ms"
    )


def post_figures(post, status):
    """(queries of the first POST, median server time of RUNS) for `post(run)`, each run
    booking another slot for another new person."""
    counts, times = [], []
    for run in range(RUNS):
        cache.clear()  # the per-address limit on booking POSTs
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = post(run)
            times.append(time.perf_counter() - started)
        assert response.status_code == status, response.content.decode()[:500]
        counts.append(len(queries))
    return counts[0], statistics.median(times) * 1000


if __name__ == "__main__":
    throwaway.run(main)
