"""Settings of the schedulers the SMS reminder test starts: the test settings, with SMS
sent to the test's fake Brevo on TEST_SMS_URL, tasks run at once in each process."""

import os

from config.settings.test import *  # noqa: F403

SMS_BACKEND = "core.sms.backends.brevo.SmsBackend"
SMS_BREVO_API_KEY = os.environ["TEST_SMS_KEY"]
SMS_BREVO_URL = os.environ["TEST_SMS_URL"]
