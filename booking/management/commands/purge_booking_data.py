"""Run daily (cron or a systemd timer): anonymise bookings older than the retention period
and delete the people who have no recent booking. Idempotent."""

from django.core.management.base import BaseCommand, CommandError

from booking.services import privacy
from structures.models import Structure


class Command(BaseCommand):
    help = (
        "For each structure, anonymise bookings that ended more than its retention period "
        "ago and delete young people with no booking since."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="Retention period in months, for every structure (default: each one's).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be purged."
        )

    def handle(self, *args, months, dry_run, **options):
        for structure in Structure.objects.select_related("site"):
            try:
                result = privacy.purge(structure, months=months, dry_run=dry_run)
            except ValueError as error:
                raise CommandError(error) from None
            verb = "Would anonymise" if dry_run else "Anonymised"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{structure.name}: {verb} {result.bookings} bookings that ended before "
                    f"{result.cutoff:%Y-%m-%d %H:%M %Z}; "
                    f"{'would delete' if dry_run else 'deleted'} {result.people} people."
                )
            )
