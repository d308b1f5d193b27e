"""Settings of the digest commands the digest test starts: the test settings, with
e-mails written to files in TEST_EMAIL_DIR, tasks run at once in each process."""

import os

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["TEST_EMAIL_DIR"]
