"""The Wagtail site of a request from the shared cache: Wagtail looks it up in the
database on every request, and that one query cost a fifth of a page's time."""

from django.conf import settings
from django.db import transaction
from django.http.request import split_domain_port
from wagtail.models import Site

from . import stamps
from .localfirst import fragment_cache

VERSION_KEY = "sites:version"


def version(request=None):
    """The sites' stamp, read once per request when given one (kept on it)."""
    if request is not None and hasattr(request, "_sites_version"):
        return request._sites_version
    stamp = stamps.read(VERSION_KEY)
    if request is not None:
        request._sites_version = stamp
    return stamp


def on_change(sender=None, **kwargs):
    """Receiver for sites saved or deleted and root pages moved: every host looks its
    site up again, now and once the transaction commits (see pagecache.bump)."""

    def replace():
        stamps.renew([VERSION_KEY])

    replace()
    transaction.on_commit(replace)


def all_ids():
    """Every site's id, kept under the sites' version like the lookups below: each
    booking renews every site's page version, and read this once per POST."""
    if not settings.FRAGMENT_CACHE_SECONDS:
        return list(Site.objects.values_list("pk", flat=True))
    return fragment_cache().get_or_set(
        "sites:ids",
        lambda: list(Site.objects.values_list("pk", flat=True)),
        settings.FRAGMENT_CACHE_SECONDS,
        version=version(),
    )


def find_for_request(request):
    """What Site.find_for_request finds, kept for the host and port under the sites'
    version for FRAGMENT_CACHE_SECONDS, and given to Wagtail for the rest of the request
    (structures.middleware calls it for every view that is not exempt)."""
    if hasattr(request, "_wagtail_site") or not settings.FRAGMENT_CACHE_SECONDS:
        return Site.find_for_request(request)
    host = split_domain_port(request._get_raw_host())[0]
    key = f"sites:for:{host}:{request.get_port()}"
    stamp = version(request)
    kept = fragment_cache().get(key, version=stamp)
    if kept is None:
        kept = (Site.find_for_request(request),)
        fragment_cache().set(key, kept, settings.FRAGMENT_CACHE_SECONDS, version=stamp)
    request._wagtail_site = kept[0]
    return kept[0]
