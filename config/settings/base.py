"""Settings shared by every environment.

Everything that differs between machines comes from environment variables, with
defaults that are safe for development only; production.py refuses the unsafe ones.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PASSERELLE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed; none by
# default, so a visitor cannot pick the address the rate limit counts.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")

INSTALLED_APPS = [
    "core",
    "home",
    "counsellors",
    "events",
    "booking",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "recurrence",
    "django.contrib.sitemaps",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First, so every later layer (the rate limit above all) sees the visitor's address.
    "core.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise answers static files itself, already compressed, before GZip sees them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside every layer that writes the body. Django masks BREACH since 4.2 by
    # padding the gzip header at random, so the CSRF token in forms stays safe.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite by default: WAL lets readers run while one writer writes, and IMMEDIATE
# transactions take the write lock up front, so two bookings cannot interleave.
SQLITE_PATH = VAR_DIR / "passerelle.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static_src"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_URL = "/static/"
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static_src" / "root"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def s3_storage(bucket_name, **connection):
    """The S3 storage of media (also used by the tests, against their own server).

    Public objects at plain addresses: a signed URL would expire inside HTML that caches
    (Wagtail's, the proxy's, the browser's) keep longer. Public reading comes from the
    bucket's policy (README), not from per-object ACLs, which AWS refuses on new buckets.
    """
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket_name,
            **connection,
            "querystring_auth": False,
            # Wagtail names files itself and expects a taken name to get a suffix.
            "file_overwrite": False,
        },
    }


# Media in an S3-compatible bucket when one is named, so several machines share them;
# otherwise on disk under MEDIA_ROOT, which the proxy serves at /media/.
S3_BUCKET_NAME = os.environ.get("S3_BUCKET_NAME", "")
if S3_BUCKET_NAME:
    STORAGES["default"] = s3_storage(
        S3_BUCKET_NAME,
        endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
        access_key=os.environ.get("S3_ACCESS_KEY_ID") or None,
        secret_key=os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        region_name=os.environ.get("S3_REGION_NAME") or None,
        custom_domain=os.environ.get("S3_CUSTOM_DOMAIN") or None,
    )

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# Seconds an SMTP server may stay silent: a stuck one must not hold a worker (or, with
# immediate tasks, the booking request) until the proxy gives up.
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Passerelle <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# django-tasks: e-mails and Wagtail's search and reference index updates. They run at
# once in development; production queues them in the database
# (`django_tasks_db.DatabaseBackend`) for `manage.py db_worker` to run.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# /healthz reports the worker failing once a ready task has waited this many seconds.
HEALTHZ_MAX_TASK_WAIT = int(os.environ.get("DJANGO_HEALTHZ_MAX_TASK_WAIT", "300"))

# Redis when REDIS_URL is set (required in production: the rate limit must count across
# processes and machines), else memory, per process. Renditions get their own alias, as
# Wagtail asks, so clearing one does not empty the other.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": alias,
            # A dead Redis fails requests in seconds instead of hanging them.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
        for alias in ("default", "renditions")
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

WAGTAIL_SITE_NAME = "Passerelle"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# The database backend picks SQLite's FTS5 index (case and accents ignored) or PostgreSQL's
# full-text search; french_unaccent, created by search's migration, also ignores accents.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "french_unaccent",
    }
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILMEDIA = {
    "MEDIA_MODEL": "counsellors.AccessibleMedia",
    "MEDIA_FORM_BASE": "",
    "AUDIO_EXTENSIONS": ["mp3", "ogg", "m4a", "wav"],
    "VIDEO_EXTENSIONS": ["mp4", "webm"],
}
# The one rendition of a counsellor's portrait, on their profile, in lists and at the
# booking step, so every listing prefetches it and a visitor downloads it once. A
# setting because counsellors and booking both read it and never import each other.
COUNSELLOR_PORTRAIT_FILTER = "fill-240x240-c100"

# Appointments (the booking app). Every setting of the app is declared here, once; the
# README's settings table lists those an operator sets through the environment.
# Public address used in e-mails, calendar files and feed links (default: the admin's).
BOOKING_SITE_URL = os.environ.get("BOOKING_SITE_URL", "")
# Booking and manage-link POSTs allowed per client address, and the window in seconds.
BOOKING_RATE_LIMIT = (
    int(os.environ.get("BOOKING_RATE_LIMIT_ATTEMPTS", "10")),
    int(os.environ.get("BOOKING_RATE_LIMIT_PERIOD", "3600")),
)
# Reminders sent this many hours before the appointment, e.g. "48,24".
BOOKING_REMINDER_HOURS = [int(hours) for hours in env_list("BOOKING_REMINDER_HOURS", "48")]
# Months after the appointment before the person's details are purged (set by the DPO).
BOOKING_RETENTION_MONTHS = int(os.environ.get("BOOKING_RETENTION_MONTHS", "12"))
# Longest life of a manage link; it also ends one day after the appointment.
BOOKING_MANAGE_LINK_MAX_AGE = timedelta(
    days=int(os.environ.get("BOOKING_MANAGE_LINK_MAX_AGE_DAYS", "120"))
)
BOOKING_NOTIFICATION_MAX_ATTEMPTS = 10
BOOKING_CLOSED_ON_PUBLIC_HOLIDAYS = True
# Counsellors' own agendas read for busy times, by the cron command
# `sync_external_calendars` and when a counsellor saves the address.
BOOKING_EXTERNAL_CALENDAR_TIMEOUT = 10  # seconds for each network wait
BOOKING_EXTERNAL_CALENDAR_MAX_BYTES = 2 * 1024 * 1024
# Private networks agendas may be read from, e.g. ["10.0.0.0/8"] for an in-house
# Nextcloud; none by default, so a pasted address cannot reach the server's network.
BOOKING_EXTERNAL_CALENDAR_ALLOWED_NETWORKS = []
