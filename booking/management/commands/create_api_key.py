"""For support staff: give a partner site a key to the API, from the shell.

Only a digest of the key is stored, so it is printed this once; a lost key is revoked
in the admin (Appointments › API keys) and a new one made.
"""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from booking.models import ApiKey
from structures.models import Structure


class Command(BaseCommand):
    help = (
        "Create an API key for a partner site and print it once. The key belongs to one "
        "structure: the default site's unless --structure names another."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who uses it, e.g. “Site of the Lycée Condorcet”.")
        parser.add_argument(
            "--structure",
            help="The host name of the structure's site (e.g. rdv.example.org), or its id.",
        )

    def handle(self, *args, name, structure, **options):
        name = name.strip()
        if not name or len(name) > ApiKey._meta.get_field("name").max_length:
            raise CommandError("Give the key a name of at most 100 characters.")
        found = find_structure(structure)
        row, key = ApiKey.create(name=name, structure=found)
        self.stdout.write(f"API key “{row.name}” for {found.name} ({found.public_url}):")
        self.stdout.write(f"  {key}")
        self.stdout.write(
            "It is shown this once: only a digest is kept. Send it as the header "
            "“Authorization: Bearer <key>”; revoke it in the admin (Appointments › API keys)."
        )


def find_structure(value):
    """By its site's host name, or by its id; the default site's if None."""
    if value is None:
        return Structure.default()
    site = Site.objects.filter(hostname=value).first()
    if site is None and value.isdigit():
        site = Site.objects.filter(structure__pk=int(value)).first()
    if site is None:
        raise CommandError(f"No structure whose site has the host name {value!r}, or id.")
    return Structure.with_site(site)
