"""The throwaway database the bench scripts measure against. Import it before anything
that touches Django: it points the test settings at an empty SQLite file in a temporary
directory (never the developer's data, never DATABASE_URL) and sets Django up."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.TemporaryDirectory(prefix="passerelle-bench-")
os.environ["PASSERELLE_VAR_DIR"] = WORKDIR.name
os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def migrate():
    call_command("migrate", verbosity=0)


def report(line):
    sys.stdout.write(line + "\n")


def report_machine(runs):
    """Timings mean little without the machine's size and load, so every script says them."""
    report(f"CPU cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}, {runs} runs")


def run(main):
    """Run `main`, then close the database and delete the temporary directory."""
    try:
        main()
    finally:
        connection.close()
        WORKDIR.cleanup()
