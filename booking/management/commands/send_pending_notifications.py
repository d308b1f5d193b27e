"""Run every 10 to 15 minutes, next to send_reminders: e-mails that could not be sent
(mail server down, task queue unavailable) are tried again, waiting longer each time;
e-mails recorded but never queued (the process died right after the booking's commit)
or claimed by a worker that died (once its 10-minute lease is over) are sent."""

from django.core.management.base import BaseCommand

from booking.notifications import outbox


class Command(BaseCommand):
    help = "Retry the booking e-mails that are due (never sent, or failed a while ago)."

    def handle(self, *args, **options):
        queued = outbox.send_pending()
        self.stdout.write(self.style.SUCCESS(f"{queued} notifications queued."))
