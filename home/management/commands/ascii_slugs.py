"""Turns the accented slugs of existing pages into ASCII, with redirects from the old
addresses (home.slugs). Idempotent: a second run finds nothing to do."""

from django.core.management.base import BaseCommand

from home.slugs import make_slugs_ascii


class Command(BaseCommand):
    help = "Give pages with accented slugs an ASCII slug; their old addresses redirect."

    def handle(self, *args, **options):
        moved = make_slugs_ascii()
        for old_path, new_path in moved:
            self.stdout.write(f"{old_path} → {new_path}")
        self.stdout.write(self.style.SUCCESS(f"{len(moved)} page(s) given an ASCII slug."))
