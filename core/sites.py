"""The Wagtail site of a page's request from the shared cache: Wagtail looks it up in
the database on every request, and that one query cost a fifth of a page's time."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http.request import split_domain_port
from wagtail.models import Site

VERSION_KEY = "sites:version"


def version():
    return cache.get_or_set(VERSION_KEY, time.time_ns, timeout=None)


def on_change(sender=None, **kwargs):
    """Receiver for sites saved or deleted and root pages moved: every host looks its
    site up again, now and once the transaction commits (see pagecache.bump)."""

    def replace():
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)

    replace()
    transaction.on_commit(replace)


class SiteMiddleware:
    """Gives Site.find_for_request the site it would find, kept for the host and port
    under the sites' version for FRAGMENT_CACHE_SECONDS. Only for Wagtail's page view,
    which reads the cache anyway: static files, robots.txt and /healthz keep working
    without it."""

    def __init__(self, get_response):
        from wagtail.views import serve  # needs the models

        self.get_response = get_response
        self.serve = serve

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not self.serve or not settings.FRAGMENT_CACHE_SECONDS:
            return
        if hasattr(request, "_wagtail_site"):
            return
        host = split_domain_port(request._get_raw_host())[0]
        key = f"sites:for:{host}:{request.get_port()}"
        stamp = version()
        kept = cache.get(key, version=stamp)
        if kept is None:
            kept = (Site.find_for_request(request),)
            cache.set(key, kept, settings.FRAGMENT_CACHE_SECONDS, version=stamp)
        request._wagtail_site = kept[0]
