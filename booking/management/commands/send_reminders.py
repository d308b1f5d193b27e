"""Run every 10 to 15 minutes from cron or a systemd timer, e.g.
`*/10 * * * * manage.py send_reminders && manage.py send_pending_notifications`.
Safe to run twice, even at the same time: each reminder goes out once."""

from django.core.management.base import BaseCommand

from booking.notifications import outbox


class Command(BaseCommand):
    help = (
        "Send a reminder before each appointment, by e-mail and by SMS, when its "
        "structure's schedules say (e-mail 48 hours before, SMS 24 and 2 hours before, "
        "unless set otherwise). Idempotent."
    )

    def handle(self, *args, **options):
        queued = outbox.send_reminders()
        self.stdout.write(self.style.SUCCESS(f"{queued} reminders queued."))
