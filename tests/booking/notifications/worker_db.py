"""Prepares the database of the delivery test, in its own process:

    python -m tests.booking.notifications.worker_db BOOKINGS LOST

migrates, books BOOKINGS seats in one group session through booking.services (each
queues its confirmation on commit), then deletes the queued task of LOST of them: the
process that booked them died after the commit, before its on-commit hooks ran.
Prints JSON: {address: booking reference}.
"""

import json
import sys
from datetime import timedelta

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from booking import services  # noqa: E402
from booking.models import Counsellor, Format, GroupSession, Notification, Place  # noqa: E402
from tests.booking import concurrency_db  # noqa: E402


def main():
    bookings, lost = int(sys.argv[1]), int(sys.argv[2])
    call_command("migrate", verbosity=0)
    concurrency_db.prepare()
    start = concurrency_db.open_day().replace(hour=16)
    session = GroupSession.objects.create(
        counsellor=Counsellor.objects.get(slug="samira"),
        format=Format.objects.get(slug="concurrence-collectif"),
        place=Place.objects.get(name="Concurrence"),
        start=start,
        end=start + timedelta(minutes=90),
        capacity=bookings,
    )
    references = {}
    for number in range(bookings):
        booking = services.book(
            first_name=f"Personne {number}",
            email=f"envoi-{number}@example.org",
            consent=True,
            group_session=session,
        )
        references[booking.young_person.email] = str(booking.uuid)
    lost_ids = set(Notification.objects.order_by("pk").values_list("pk", flat=True)[:lost])
    for task in DBTaskResult.objects.all():
        if task.args_kwargs["args"][0] in lost_ids:
            task.delete()
    sys.stdout.write(json.dumps(references))


if __name__ == "__main__":
    main()
