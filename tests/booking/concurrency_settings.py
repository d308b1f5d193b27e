"""Settings of the server process the concurrency tests start: the test settings plus a
URLconf with one booking endpoint. The database comes from DATABASE_URL (base.py), so a
SQLite file gets the site's WAL and IMMEDIATE options."""

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.booking.concurrency_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
