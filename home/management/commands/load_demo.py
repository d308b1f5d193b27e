"""Builds the demo site. Idempotent: run it as often as you like; it never touches
pages an editor created, because it only creates what is missing, found by slug."""

from django.core.management.base import BaseCommand
from django.db import transaction

from home import demo


class Command(BaseCommand):
    help = "Load the demo content (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        report = demo.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(report))
