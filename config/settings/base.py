"""Settings shared by every environment.

Everything that differs between machines comes from environment variables, with
defaults that are safe for development only; production.py refuses the unsafe ones.
"""

import os
from datetime import time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
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
    "structures",
    "home",
    "counsellors",
    "events",
    "booking",
    "eventdays",
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
    # Its Swagger UI page (/api/v1/docs) from its own static files, never from a CDN.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "recurrence",
    "csp",
    "axes",
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
    # Answers anonymous visits of kept pages before every layer below, with the headers
    # they added when the page was kept (core.pagecache).
    "core.pagecache.EarlyPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
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
    "axes.middleware.AxesMiddleware",
    # request.structure (its site from the cache, core.sites) and its time zone for the
    # view, before the page cache asks for the site.
    "structures.middleware.StructureMiddleware",
    # Last: they see Wagtail's page view, and the page as the view made it.
    "core.pagecache.PageCacheMiddleware",
    "core.routes.RouteCacheMiddleware",
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
                "core.pagecache.fragments",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite by default: WAL lets readers run while one writer writes, and IMMEDIATE
# transactions take the write lock up front, so two bookings cannot interleave.
# DATABASE_CONN_MAX_AGE: seconds a connection is kept for the next requests (0: one per
# request; production keeps them a minute). A kept connection is checked before reuse,
# so a database restart costs no failed request.
SQLITE_PATH = VAR_DIR / "passerelle.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a paused sign-in before the password is checked. Its
# AxesBackend (not the standalone one) also loads users, as code taking the first backend
# for force_login (Wagtail's page test helpers) needs.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

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

# Logs go to the console (stderr), where the process manager collects them. Every
# handler redacts manage and feed tokens, e-mail addresses and phone numbers
# (core.logging). Django's own "django" and "django.server" loggers get these handlers
# too, in place of their defaults (a console that prints unredacted under DEBUG, and
# mail_admins, which would mail the request with its token).
log_level = os.environ.get("DJANGO_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "core.logging.RedactSecrets"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": log_level},
    "loggers": {
        "django": {"handlers": [], "level": log_level, "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": log_level, "propagate": False},
    },
}

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


def git_commit(folder):
    """The commit checked out in `folder` (a deploy by git pull), or ""."""
    head = folder / ".git" / "HEAD"
    try:
        ref = head.read_text().strip()
        if not ref.startswith("ref: "):
            return ref
        name = ref.removeprefix("ref: ")
        loose = folder / ".git" / name
        if loose.exists():
            return loose.read_text().strip()
        packed = (folder / ".git" / "packed-refs").read_text().splitlines()
        return next((line.split()[0] for line in packed if line.endswith(" " + name)), "")
    except OSError:
        return ""


# The code's version, in the keys of the pages and parts of pages kept in the cache
# (core.pagecache, core.localfirst), so that a release never reads what an older one
# kept in another shape. Set it where the code is not a git checkout (a PaaS build).
RELEASE = (os.environ.get("PASSERELLE_RELEASE") or git_commit(BASE_DIR))[:12]

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
    # Menus, footer, site settings and the booking flow's lists, kept under the stamps
    # they depend on: read from each process's memory first (core.localfirst).
    CACHES["template_fragments"] = {"BACKEND": "core.localfirst.LocalFirstCache"}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The page cache (core.pagecache): CMS pages as anonymous visitors see them, for this
# many seconds at most (0 turns it off). Publishing, site settings and bookings replace
# the site's version at once; the limit bounds what changes with time alone (an event
# that has ended leaves the home page's list within it).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# The only query parameters pages read (the event list's type filter and its pages):
# any other makes a page uncached, so made-up addresses cannot fill the cache.
PAGE_CACHE_QUERY_PARAMS = ["type", "page"]
# The parts every page repeats (menus, breadcrumbs, footer, site settings, the home
# page's sections), cached under the same version for this many seconds (0 turns them
# off): a page the page cache does not answer (a first visit after a publish, a visitor
# with cookies) is still built from them.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "300"))


def origin(url):
    """scheme://host[:port] of an address, or "" when there is none."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Security headers. Public pages carry no inline script or style, so the policy allows
# only the site itself, plus the media bucket when uploads live on S3 and the players
# counsellor videos may be embedded from (add a structure's PeerTube instance here).
# The Wagtail admin writes inline scripts and styles: it gets no policy.
MEDIA_ORIGINS = [
    address
    for address in (
        f"https://{os.environ['S3_CUSTOM_DOMAIN']}" if os.environ.get("S3_CUSTOM_DOMAIN") else "",
        origin(os.environ.get("S3_ENDPOINT_URL", "")),
    )
    if address
]
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "media-src": [SELF, *MEDIA_ORIGINS],
        "frame-src": env_list(
            "CSP_VIDEO_EMBED_ORIGINS",
            "https://www.youtube-nocookie.com,https://player.vimeo.com",
        ),
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Browser features no page of the site uses, refused to the site and to what it embeds
# (fullscreen and picture-in-picture stay: the video players ask for them).
PERMISSIONS_POLICY = [
    "accelerometer",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
]
# The admin's check for new Wagtail releases would tell releases.wagtail.org who we are.
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Admin sign-in (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused until the cool-off ends. The pair, not either
# alone, so nobody can lock "admin" out from elsewhere. The address is REMOTE_ADDR, which
# the trusted-proxy middleware sets from X-Forwarded-For behind the site's proxy.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_RESET_ON_SUCCESS = True

WAGTAIL_SITE_NAME = "Passerelle"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# Page addresses in plain ASCII ("cafe-rencontre", never /caf%C3%A9-rencontre/ once
# shared); `manage.py ascii_slugs` turns older accented ones into ASCII, with redirects.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
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
# The public address in e-mails, calendar files and feed links is each structure's site
# (Settings › Sites in the admin), not a setting.
# Fair limits (booking.services.limits), each structure's own unless left empty there.
# Failed booking attempts (and manage-link POSTs) allowed per client address in the
# window, in seconds: high, since a class, a front desk or a carrier's NAT share one
# address, and a booking made is not counted.
BOOKING_RATE_LIMIT = (
    int(os.environ.get("BOOKING_RATE_LIMIT_ATTEMPTS", "60")),
    int(os.environ.get("BOOKING_RATE_LIMIT_PERIOD", "600")),
)
# Refusals of one slot (taken, not offered) to one client address or API key in the
# window: retrying a taken time is pointless, and a script waiting for it is refused.
BOOKING_SLOT_ATTEMPTS = (
    int(os.environ.get("BOOKING_SLOT_ATTEMPTS", "5")),
    int(os.environ.get("BOOKING_SLOT_ATTEMPTS_PERIOD", "3600")),
)
# Live (confirmed, future) bookings one person may hold with a structure, booked online
# or through the API; staff may book beyond it.
BOOKING_LIVE_BOOKINGS_PER_PERSON = int(os.environ.get("BOOKING_LIVE_BOOKINGS_PER_PERSON", "3"))
# Failed booking attempts allowed per partner site's API key in the window, in seconds:
# counted per key, not per address.
BOOKING_API_KEY_RATE_LIMIT = (
    int(os.environ.get("BOOKING_API_KEY_RATE_LIMIT_ATTEMPTS", "600")),
    int(os.environ.get("BOOKING_API_KEY_RATE_LIMIT_PERIOD", "600")),
)
# Reminders sent this many hours before the appointment, e.g. "48,24": by e-mail, and
# by text message to people who gave a mobile number.
BOOKING_REMINDER_HOURS = [int(hours) for hours in env_list("BOOKING_REMINDER_HOURS", "48")]
BOOKING_SMS_REMINDER_HOURS = [
    int(hours) for hours in env_list("BOOKING_SMS_REMINDER_HOURS", "24,2")
]
# Months after the appointment before the person's details are purged (set by the DPO).
BOOKING_RETENTION_MONTHS = int(os.environ.get("BOOKING_RETENTION_MONTHS", "12"))
# Longest life of a manage link; it also ends one day after the appointment.
BOOKING_MANAGE_LINK_MAX_AGE = timedelta(
    days=int(os.environ.get("BOOKING_MANAGE_LINK_MAX_AGE_DAYS", "120"))
)
BOOKING_NOTIFICATION_MAX_ATTEMPTS = 10
BOOKING_CLOSED_ON_PUBLIC_HOLIDAYS = True
# Text messages (core.sms), sent like e-mails: SMS_BACKEND is a dotted path, empty for
# an install without a gateway (nobody is sent one). The providers' credentials are
# needed only by their backend; production refuses to start without them.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "core.sms.backends.console.SmsBackend")
# The sender shown on phones when a structure sets none: 11 letters or digits at most.
SMS_DEFAULT_SENDER = os.environ.get("SMS_DEFAULT_SENDER", "Passerelle")
SMS_TIMEOUT = int(os.environ.get("SMS_TIMEOUT", "10"))  # seconds for each network wait
# No SMS from 20:00 to 08:00 in the structure's time zone: they wait for the morning.
SMS_QUIET_HOURS = (time(20), time(8))
SMS_BREVO_API_KEY = os.environ.get("SMS_BREVO_API_KEY", "")
SMS_BREVO_URL = "https://api.brevo.com/v3/transactionalSMS/sms"
SMS_FACTOR_TOKEN = os.environ.get("SMS_FACTOR_TOKEN", "")
SMS_FACTOR_URL = "https://api.smsfactor.com/send"
# The secret part of the address providers post inbound messages ("STOP") to; empty
# turns the endpoint off.
SMS_WEBHOOK_SECRET = os.environ.get("SMS_WEBHOOK_SECRET", "")

# Counsellors' own agendas read for busy times, by the cron command
# `sync_external_calendars` and when a counsellor saves the address.
BOOKING_EXTERNAL_CALENDAR_TIMEOUT = 10  # seconds for each network wait
BOOKING_EXTERNAL_CALENDAR_MAX_BYTES = 2 * 1024 * 1024
# Private networks agendas may be read from, e.g. ["10.0.0.0/8"] for an in-house
# Nextcloud; none by default, so a pasted address cannot reach the server's network.
BOOKING_EXTERNAL_CALENDAR_ALLOWED_NETWORKS = []
# Reading an agenda file is bounded too (a few hundred bytes of RRULE can ask for
# millions of occurrences): an event repeating more often than this in the window read
# is left out, an agenda with more occurrences in all, or taking longer to expand, keeps
# its last good busy times.
BOOKING_EXTERNAL_CALENDAR_MAX_OCCURRENCES_PER_EVENT = int(
    os.environ.get("BOOKING_EXTERNAL_CALENDAR_MAX_OCCURRENCES_PER_EVENT", "1000")
)
BOOKING_EXTERNAL_CALENDAR_MAX_OCCURRENCES = int(
    os.environ.get("BOOKING_EXTERNAL_CALENDAR_MAX_OCCURRENCES", "10000")
)
BOOKING_EXTERNAL_CALENDAR_EXPANSION_SECONDS = float(
    os.environ.get("BOOKING_EXTERNAL_CALENDAR_EXPANSION_SECONDS", "10")
)
