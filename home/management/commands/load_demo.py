"""Builds the demo site. Idempotent: run it as often as you like; it never touches
pages an editor created, because it only creates what is missing, found by slug."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from home import demo

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "passerelle-demo"


class Command(BaseCommand):
    help = "Load the demo content (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        report = demo.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(report))
        # A known login is a convenience for trying the site on one's own machine; the
        # production settings turn it off so no deployment ever ships it.
        if getattr(settings, "DEMO_ACCOUNT_ALLOWED", False):
            self.ensure_demo_account()

    def ensure_demo_account(self):
        """The administrator, and one login per role of the network: each structure's
        manager and the network's ("Réseau"), all with the same demo password."""
        User = get_user_model()
        if not User.objects.filter(username=DEMO_USERNAME).exists():
            User.objects.create_superuser(DEMO_USERNAME, password=DEMO_PASSWORD)
        accounts = demo.role_accounts()
        for username, group, structure in accounts:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                user.groups.add(group)
                if structure is not None:
                    structure.members.add(user)
        self.stdout.write(
            f"Demo logins at http://127.0.0.1:8000/admin/, password {DEMO_PASSWORD}: "
            f"{DEMO_USERNAME} (administrator), "
            + ", ".join(username for username, _group, _structure in accounts)
        )
