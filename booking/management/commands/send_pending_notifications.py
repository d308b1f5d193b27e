"""Run every 10 to 15 minutes, next to send_reminders: e-mails and SMS that could not be
sent (mail server or SMS provider down, task queue unavailable) are tried again, waiting
longer each time; SMS kept back by the night go out from 08:00; messages recorded but
never queued (the process died right after the booking's commit)
or claimed by a worker that died (once its 10-minute lease is over) are sent."""

from django.core.management.base import BaseCommand

from booking.notifications import outbox


class Command(BaseCommand):
    help = (
        "Retry the booking e-mails and SMS that are due (never sent, failed a while ago, "
        "or kept back by the night)."
    )

    def handle(self, *args, **options):
        queued = outbox.send_pending()
        self.stdout.write(self.style.SUCCESS(f"{queued} notifications queued."))
