"""The page cache: CMS pages as anonymous visitors see them, kept whole in the shared
cache and answered without rendering, with an ETag and a Last-Modified for 304s.

Every key carries its site's version, a stamp that anything changing what a page shows
replaces (pages published, unpublished, moved, deleted, site settings saved, bookings):
old entries are never looked up again and expire on their own, so nothing has to find
and delete them. Only Wagtail's page view is cached, and only for a visitor with no
cookie but the CSRF one, no query string but the parameters pages read, and a response
that sets no cookie and renders no CSRF token: forms, sign-ins and messages always get
a fresh page."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date
from django.utils.translation import get_language
from wagtail.models import Site

# Headers of the page's own response worth keeping; the outer middleware adds the rest
# (security, CSP, compression) to every answer, cached or not.
KEPT_HEADERS = ("Content-Type", "Content-Language")


def version_key(site_id):
    return f"pagecache:version:{site_id}"


def site_version(site_id):
    """The site's current stamp (nanoseconds of the last change): if the cache lost it,
    a new one, never one that entries were stored under."""
    return cache.get_or_set(version_key(site_id), time.time_ns, timeout=None)


def bump(site_ids=None):
    """Give the sites (all of them by default) a new version now, and again once the
    transaction commits: the first for the rest of this transaction, the second because
    a request rendered in between may have stored the old page under the first."""
    if site_ids is None:
        site_ids = list(Site.objects.values_list("pk", flat=True))

    def replace():
        stamp = time.time_ns()
        cache.set_many({version_key(site_id): stamp for site_id in site_ids}, timeout=None)

    replace()
    transaction.on_commit(replace)


def for_site(site, name, build):
    """What build() returns, kept for the site under its version: objects every page
    reads (the site settings), rebuilt when the site's pages or settings change."""
    return cache.get_or_set(
        f"pagecache:object:{site.pk}:{name}",
        build,
        settings.FRAGMENT_CACHE_SECONDS,
        version=site_version(site.pk),
    )


def fragments(request):
    """Context processor: what {% wagtailcache %} keys of the layout need, so menus and
    the footer are rebuilt when the site's version changes."""

    def version():
        site = Site.find_for_request(request)
        return site_version(site.pk) if site else 0

    return {
        "fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
        "fragment_version": SimpleLazyObject(version),
    }


def on_change(sender=None, **kwargs):
    """Receiver for anything a page may show: every site gets a new version, since a
    page can link to, list or show another site's pages and data."""
    bump()


def on_site_setting_change(sender, instance, created=False, **kwargs):
    """Settings are created, with their defaults, on the first page that reads them:
    that changes nothing shown."""
    if not created:
        bump([instance.site_id])


def is_cacheable_request(request):
    if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_SECONDS:
        return False
    if set(request.COOKIES) - {settings.CSRF_COOKIE_NAME}:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return set(request.GET) <= set(settings.PAGE_CACHE_QUERY_PARAMS)


def is_cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Cache-Control")
        and not response.has_header("Vary")
    )


def page_key(request, site_id):
    query = "&".join(f"{name}={request.GET[name]}" for name in sorted(request.GET))
    return f"pagecache:page:{site_id}:{get_language()}:{request.path}?{query}"


def answer(request, entry):
    """The stored page, or 304 when the browser already has it."""
    etag, last_modified, headers, content = entry
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Browsers ask again each time (a 304 costs nothing); a shared cache must not give
    # a visitor's page to someone signed in.
    patch_cache_control(response, no_cache=True)
    response["Vary"] = "Cookie"
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


class PageCacheMiddleware:
    """Answers Wagtail page views from the cache, and stores those it may.

    Last in MIDDLEWARE: it stores the page as the view made it, and every middleware
    above still runs on each answer."""

    def __init__(self, get_response):
        from wagtail.views import serve  # needs the models, which import this module

        self.get_response = get_response
        self.serve = serve

    def __call__(self, request):
        response = self.get_response(request)
        key, version = getattr(request, "_page_cache_key", (None, None))
        if key is None or not is_cacheable_response(request, response):
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        content = response.content
        etag = f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
        headers = [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)]
        entry = (etag, int(time.time()), headers, content)
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS, version=version)
        return answer(request, entry)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not self.serve or not is_cacheable_request(request):
            return None
        site = Site.find_for_request(request)
        if site is None:
            return None
        key = page_key(request, site.pk)
        version = site_version(site.pk)
        entry = cache.get(key, version=version)
        if entry is not None:
            return answer(request, entry)
        request._page_cache_key = (key, version)
        return None
