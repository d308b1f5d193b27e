"""Run every 15 to 30 minutes from cron: reads the counsellors' own agendas so their busy
times are not offered. One agenda failing does not stop the others; each failure is
shown to its counsellor in the admin."""

from django.core.management.base import BaseCommand

from booking.calendars import agenda_import


class Command(BaseCommand):
    help = "Read the counsellors' external agendas and update their busy times."

    def add_arguments(self, parser):
        parser.add_argument("--counsellor", metavar="SLUG", help="Only this counsellor's agenda.")

    def handle(self, *args, **options):
        read, failed = agenda_import.refresh_all(counsellor_slug=options["counsellor"])
        style = self.style.WARNING if failed else self.style.SUCCESS
        self.stdout.write(style(f"{read} agendas read, {failed} failed."))
