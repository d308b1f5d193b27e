"""Production: every secret comes from the environment, and unsafe defaults stop start-up."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, env_bool

DEBUG = False
DEMO_ACCOUNT_ALLOWED = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 32 characters in production."
    )

# Opening a PostgreSQL connection per request cost a booking 10 to 20 ms of server CPU.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Probes on the machine or the private network ask over plain HTTP; it tells them nothing.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
# Off unless the operator opts in: a structure's domain often has other sites (an intranet,
# a partner's pages) without HTTPS, which both would cut off, and a preloaded domain takes
# months to leave the browsers' lists. So Django's checks for them are silenced.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# A shared cache whose increments are atomic, or the rate limit leaks: a file cache
# counted about 110 of 800 attempts made by 8 processes at once.
if not REDIS_URL:  # noqa: F405
    raise ImproperlyConfigured(
        "REDIS_URL must point to a Redis server in production (e.g. redis://127.0.0.1:6379/0): "
        "the rate limit and the caches are shared through it."
    )

# Tasks wait in the database for `manage.py db_worker`, so no request waits for a mail
# server, and Wagtail's search index is updated in the background.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
UNSENDING_EMAIL_BACKENDS = {
    f"django.core.mail.backends.{name}.EmailBackend"
    for name in ("console", "locmem", "dummy", "filebased")
}
if EMAIL_BACKEND in UNSENDING_EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"DJANGO_EMAIL_BACKEND is {EMAIL_BACKEND}, which sends nothing: in production use "
        "django.core.mail.backends.smtp.EmailBackend (the default) and DJANGO_EMAIL_HOST."
    )

# No text messages unless the operator chooses a provider; then its credential is required.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "")
SMS_CREDENTIALS = {
    "core.sms.backends.brevo.SmsBackend": "SMS_BREVO_API_KEY",
    "core.sms.backends.smsfactor.SmsBackend": "SMS_FACTOR_TOKEN",
}
if SMS_BACKEND and SMS_BACKEND not in SMS_CREDENTIALS:
    raise ImproperlyConfigured(
        f"SMS_BACKEND is {SMS_BACKEND}, which sends nothing: in production use one of "
        f"{', '.join(sorted(SMS_CREDENTIALS))}, or leave it empty for no text messages."
    )
if SMS_BACKEND and not os.environ.get(SMS_CREDENTIALS[SMS_BACKEND]):
    raise ImproperlyConfigured(
        f"{SMS_CREDENTIALS[SMS_BACKEND]} must be set: SMS_BACKEND is {SMS_BACKEND}."
    )
