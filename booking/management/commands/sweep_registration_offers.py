"""Run every 10 minutes, before send_pending_notifications: offers of a seat whose
deadline passed and that nobody opened since expire, and the seats go to the next in
line. It only cleans up: every answer, cancellation and manage page already expires
the offers it meets (booking.services.registrations)."""

from django.core.management.base import BaseCommand

from booking.services import registrations


class Command(BaseCommand):
    help = "Expire the offered seats past their deadline and offer them to the next in line."

    def handle(self, *args, **options):
        expired = registrations.expire_offers()
        self.stdout.write(self.style.SUCCESS(f"{expired} offers expired."))
