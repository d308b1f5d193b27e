"""Races a speed meeting's writes in one process of its own, every thread on its own
database connection, all released at once by a barrier:

    python -m tests.eventdays.speed.race [--migrate] COUNT  -> JSON

COUNT pros take a table at the same instant (each must get a table of its own, nobody
an error), then COUNT members of staff start the first round at the same instant (it
starts once). The database comes from DATABASE_URL (tests.booking.concurrency_settings).
"""

import argparse
import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from booking.models import EventDate  # noqa: E402
from eventdays.models import Pro, SpeedMeeting  # noqa: E402
from eventdays.speed import services  # noqa: E402
from structures.models import Structure  # noqa: E402


def at_once(count, action):
    barrier = threading.Barrier(count, timeout=60)

    def run(number):
        barrier.wait()
        try:
            return action(number)
        except Exception as error:  # every failure is the test's to report
            return repr(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("--migrate", action="store_true")
    arguments = parser.parse_args()
    if arguments.migrate:
        call_command("migrate", verbosity=0)
    start = timezone.now() + timedelta(days=7)
    date = EventDate.objects.create(
        structure=Structure.default(),
        title="Course aux tables",
        key=f"race-{start:%H%M%S%f}",
        start=start,
        end=start + timedelta(hours=3),
    )
    meeting = services.set_up(date)
    connection.close()

    def take_a_table(number):
        services.add_pro(
            SpeedMeeting.objects.get(pk=meeting.pk),
            services.ProDetails(kind=Pro.Kind.EMPLOYER, name=f"Pro {number}", company=f"C{number}"),
            source=Pro.Source.LINK,
            consent=True,
        )
        return "ok"

    pros = at_once(arguments.count, take_a_table)

    def start_round(_number):
        started = services.next_round(
            SpeedMeeting.objects.get(pk=meeting.pk), starting=0, now=start - timedelta(hours=1)
        )
        return "started" if started else "already"

    rounds = at_once(arguments.count, start_round)
    tables = list(Pro.objects.filter(meeting=meeting).values_list("table", flat=True))
    sys.stdout.write(json.dumps({"pros": pros, "tables": tables, "rounds": rounds}))


if __name__ == "__main__":
    main()
