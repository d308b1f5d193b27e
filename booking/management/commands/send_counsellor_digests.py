"""Run every 10 to 15 minutes with send_reminders, e.g.
`*/10 * * * * manage.py send_reminders && manage.py send_counsellor_digests && manage.py
send_pending_notifications`. From 07:30 in each structure's time zone, each counsellor
who chose the daily digest gets it once a day, even if two runs meet."""

from django.core.management.base import BaseCommand

from booking.notifications import counsellors


class Command(BaseCommand):
    help = (
        "Send the morning digest (the day before's changes and the day's appointments) "
        "to each counsellor who chose it, once a day from 07:30 in their structure's "
        "time zone. Idempotent."
    )

    def handle(self, *args, **options):
        queued = counsellors.send_digests()
        self.stdout.write(self.style.SUCCESS(f"{queued} digests queued."))
