"""The site's public address, for links that leave the site: e-mails, calendar files,
feed addresses."""

from urllib.parse import urlsplit

from django.conf import settings


def site_url():
    """The public address of the site, without a trailing slash."""
    url = settings.BOOKING_SITE_URL or settings.WAGTAILADMIN_BASE_URL
    return url.rstrip("/")


def site_domain():
    """The host name, as calendar UIDs end with it."""
    return urlsplit(site_url()).hostname or "localhost"
