"""Run every 10 to 15 minutes, next to send_reminders: e-mails that could not be sent
(mail server down, task queue unavailable) are tried again, waiting longer each time."""

from django.core.management.base import BaseCommand

from booking.notifications import outbox


class Command(BaseCommand):
    help = "Retry the booking e-mails that are due (never sent, or failed a while ago)."

    def handle(self, *args, **options):
        queued = outbox.send_pending()
        self.stdout.write(self.style.SUCCESS(f"{queued} notifications queued."))
