"""For support staff: give a counsellor their calendar feed address, from the shell.

Only a fingerprint of an address is stored, so an existing one cannot be printed again:
--rotate makes a new one, and the old address stops working.
"""

from django.core.management.base import BaseCommand, CommandError

from booking.calendars import feed
from booking.models import Counsellor


class Command(BaseCommand):
    help = (
        "Print the calendar feed address of a counsellor (slug or id), creating it if they "
        "have none; --rotate replaces an existing one (the old address stops working)."
    )

    def add_arguments(self, parser):
        parser.add_argument("counsellor", help="The counsellor's slug or id.")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Make a new address even if one exists; the old one stops working.",
        )

    def handle(self, *args, counsellor, rotate, **options):
        found = find_counsellor(counsellor)
        if feed.has_feed(found) and not rotate:
            raise CommandError(
                f"{found.first_name} ({found.slug}) already has a calendar address. Only a "
                "fingerprint of it is stored, so it cannot be shown again. Use --rotate to "
                "make a new one: the old address then stops working, and every calendar "
                "subscribed to it must be given the new one."
            )
        token = feed.issue_token(found)
        for structure in found.structures.select_related("site"):
            links = feed.feed_links(token, structure)
            self.stdout.write(
                f"Calendar address of {found.first_name} ({found.slug}) at {structure.name}:"
            )
            self.stdout.write(f"  {links.https}")
            self.stdout.write(f"  {links.webcal}")
            self.stdout.write(f"  Google Calendar: {links.google}")


def find_counsellor(value):
    """By slug first: a slug made of digits must not find another counsellor's id."""
    found = Counsellor.objects.filter(slug=value).first()
    if found is None and value.isdigit():
        found = Counsellor.objects.filter(pk=int(value)).first()
    if found is None:
        raise CommandError(f"No counsellor with the slug or id {value!r}.")
    return found
