"""Settings of the server process the concurrency tests start: the test settings plus a
URLconf with the booking endpoints and the SMS reports' webhook. The database comes
from DATABASE_URL (base.py), so a SQLite file gets the site's WAL and IMMEDIATE
options."""

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.booking.concurrency_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SMS_BACKEND = "tests.booking.concurrency_urls.BrevoReports"
SMS_WEBHOOK_SECRET = "concurrency"
