"""The page cache: CMS pages as anonymous visitors see them, kept whole in the shared
cache and answered without rendering, with an ETag and a Last-Modified for 304s.

Two middleware share the work. PageCacheMiddleware, last, sees which requests Wagtail's
page view serves and gives their pages an ETag; EarlyPageCacheMiddleware, right after
the proxies, keeps those pages with every header the layers between them added, already
compressed, and answers the next visitors before sessions, CSRF, authentication,
messages or the database: one cache round trip, then bytes.

Every entry carries its site's version, a stamp that anything changing what a page shows
replaces (pages published, unpublished, moved, deleted, sites and site settings saved,
bookings): old entries no longer match and expire on their own, so nothing has to find
and delete them. Only Wagtail's page view is kept, and the views that say their answer
is everyone's (keep_answer: the booking flow's first steps, for a minute at most), and
only for a visitor with no cookie but the CSRF one, no Authorization, no query string
but the parameters pages read (or one such a view vouched for), and a response that
sets no cookie and renders no CSRF token: forms, sign-ins and messages always get a
fresh page."""

import gzip
import hashlib
import math
import time
from http.client import responses
from typing import NamedTuple

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date
from django.utils.text import compress_string
from django.utils.translation import get_language_from_request
from wagtail.models import Site

from . import sites, stamps
from .localfirst import fragment_cache

# Headers that depend on the answer's encoding, written again on each answer.
ENCODING_HEADERS = {"content-encoding", "content-length", "etag"}
# (hostname, port) -> the id of the site Wagtail's Site.find_for_request gave it in a
# page view of this process: forgotten when a site is saved here, replaced when a page
# view finds another site (a site changed in another process).
SITES = {}
MAX_HOSTS = 1000
# The paths of views that keep their answers to queries (keep_answer), in this process.
QUERIED = set()
# Page key -> Entry: the pages this process answered last, kept whole in its memory
# (a few megabytes) and trusted only while its stamps are heard live (kept()).
LOCAL = stamps.Recent(300)


class Entry(NamedTuple):
    """A kept page: under which site and version, its validators, the headers of its
    answer, its body (gzipped when `compressed`, as GZipMiddleware would), and until
    when it holds by time alone (a timestamp, None: until something changes)."""

    site_id: int
    version: int
    etag: str
    last_modified: int
    headers: list
    body: bytes
    compressed: bool
    until: float | None = None


def changes_at(request, moment):
    """What the page being rendered shows changes by time alone at `moment` (an aware
    datetime or a timestamp; None: never), with nothing else changing: a date's
    registrations closing. The page and its content fragment are kept no longer."""
    if moment is None:
        return
    moment = moment if isinstance(moment, float) else moment.timestamp()
    until = getattr(request, "_content_until", None)
    request._content_until = moment if until is None else min(until, moment)


def content_until(request):
    """The soonest `changes_at` of the page being rendered, or None."""
    return getattr(request, "_content_until", None)


def seconds_until(until, seconds):
    """How long to keep something that holds until `until` (None: ever), `seconds` at
    the most; 0 (not kept) once it is past."""
    if until is None:
        return seconds
    return max(0, min(seconds, math.ceil(until - timezone.now().timestamp())))


class Pending(NamedTuple):
    """A page the early layer could not answer: where to keep it once rendered, and the
    site's version read before it was."""

    key: str
    site_id: int
    version: int


def version_key(site_id):
    return f"pagecache:version:{site_id}"


def site_version(site_id):
    """The site's current stamp (nanoseconds of the last change): if the cache lost it,
    a new one, never one that entries were stored under."""
    return stamps.read(version_key(site_id))


def bump(site_ids=None):
    """Give the sites (all of them by default) a new version now, and again once the
    transaction commits: the first for the rest of this transaction, the second because
    a request rendered in between may have stored the old page under the first."""
    if site_ids is None:
        site_ids = sites.all_ids()

    def replace():
        stamps.renew([version_key(site_id) for site_id in site_ids])

    replace()
    transaction.on_commit(replace)


def for_site(site, name, build, seconds=None):
    """What build() returns, kept for the site (or the site's id) under its version:
    objects every page reads (the site settings), rebuilt when the site's pages or
    settings change, for FRAGMENT_CACHE_SECONDS or fewer `seconds` (what changes with
    time too)."""
    site_id = getattr(site, "pk", site)
    timeout = settings.FRAGMENT_CACHE_SECONDS
    if seconds is not None:
        timeout = min(timeout, seconds)
    if not timeout:
        return build()
    return fragment_cache().get_or_set(
        f"pagecache:object:{site_id}:{name}", build, timeout, version=site_version(site_id)
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


def on_site_change(sender, instance, **kwargs):
    """A site saved or deleted may give an address to another site: this process
    forgets which site each address is, and every site, the deleted one too (other
    processes may still take an address for it), gets a new version."""
    SITES.clear()
    bump([*Site.objects.values_list("pk", flat=True), instance.pk])


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
    return "HTTP_AUTHORIZATION" not in request.META


def is_kept_address(request):
    """Whether a page may be kept for this address: no query string but the parameters
    pages read, or a path whose view vouches for its queries (keep_answer)."""
    return set(request.GET) <= set(settings.PAGE_CACHE_QUERY_PARAMS) or request.path in QUERIED


def keep_answer(request, seconds):
    """Called by a view (not a Wagtail page) whose answer to this GET is the same for
    every visitor: its page is kept like a CMS page, for `seconds` at most, under the
    site's version. The view vouches for its query string (each choice checked), so
    made-up addresses are never kept; its path is then looked up with any query."""
    if not hasattr(request, "_page_cache"):
        return False
    site = sites.find_for_request(request)
    if site is None:
        return False
    key, address = request._page_cache
    _learn(address, site)
    if len(QUERIED) >= MAX_HOSTS:
        QUERIED.clear()
    QUERIED.add(request.path)
    request._page_cache_pending = Pending(key, site.pk, site_version(site.pk))
    changes_at(request, timezone.now().timestamp() + seconds)
    return True


def _learn(address, site):
    if len(SITES) >= MAX_HOSTS:
        SITES.clear()
    SITES[address] = site.pk


def is_cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Cache-Control")
        and not response.has_header("Vary")
    )


def page_key(request, host, port):
    """The address as the visitor asked it (the Host header and the server's port, which
    Wagtail reads), in the language they would be answered in."""
    query = "&".join(f"{name}={request.GET[name]}" for name in sorted(request.GET))
    language = get_language_from_request(
        request, check_path=is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]
    )
    address = f"{request.scheme}://{host} {port}{request.path}?{query} {language}"
    digest = hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()
    return f"pagecache:page:{settings.RELEASE}:{digest}"  # another release's Entry may differ


def entry_for(response, pending, etag, last_modified, content, until=None):
    """The answer as every layer made it, with its body compressed once."""
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in ENCODING_HEADERS
    ]
    compressed = len(content) >= 200  # GZipMiddleware leaves shorter bodies alone
    body = compress_string(content) if compressed else content
    return Entry(
        pending.site_id, pending.version, etag, last_modified, headers, body, compressed, until
    )


def answer(request, entry):
    """The kept page, gzipped for the browsers that accept it, or 304 when the browser
    already has it."""
    status, headers, body = kept_answer(request, entry)
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    conditional = get_conditional_response(
        request, etag=response["ETag"], last_modified=entry.last_modified, response=response
    )
    if conditional is not response:  # 304 or 412: the headers the outer layers add
        for name, value in entry.headers:
            if name.lower() != "content-type":
                conditional.headers.setdefault(name, value)
    return conditional


def kept_answer(request, entry):
    """The status, headers and body of the kept page for this request, conditions
    aside: gzipped for the browsers that accept it."""
    body, etag = entry.body, entry.etag
    gzipped = entry.compressed and re_accepts_gzip.search(
        request.META.get("HTTP_ACCEPT_ENCODING", "")
    )
    if gzipped:
        etag = "W/" + etag  # as GZipMiddleware says: the bytes are not the page's own
    elif entry.compressed:
        body = gzip.decompress(body)
    headers = [*entry.headers, ("Content-Length", str(len(body))), ("ETag", etag)]
    if gzipped:
        headers.append(("Content-Encoding", "gzip"))
    return 200, headers, body


def kept(key, site_id):
    """The page kept under the key, if it is still its site's current version: from this
    process's memory while the stamps are heard live (core.stamps), so that answering
    costs no round trip at all, else from the shared cache."""
    version = site_version(site_id)
    live = stamps.is_live()

    def current(entry):
        return (
            entry is not None
            and (entry.site_id, entry.version) == (site_id, version)
            and (entry.until is None or timezone.now().timestamp() < entry.until)
        )

    entry = LOCAL.get(key) if live else None
    if not current(entry):
        entry = cache.get(key)
        if not current(entry):
            return None
    LOCAL.keep(key, entry)
    return entry


class Found(NamedTuple):
    """Where the page for a request is kept (`key`, and the `address` its site is
    learnt under), and the page, if it is kept there now."""

    key: str
    address: tuple
    entry: Entry | None


def look_up(request):
    """The kept page for the request, or None when no page may be kept for it."""
    if not is_cacheable_request(request):
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # CommonMiddleware answers 400
    port = request.get_port()
    address = (split_domain_port(host)[0], port)
    key = page_key(request, host, port)
    site_id = SITES.get(address)
    entry = None
    if site_id is not None and is_kept_address(request):
        entry = kept(key, site_id)
    return Found(key, address, entry)


class EarlyPageCacheMiddleware:
    """Answers the pages kept by the page view's path, before the layers below it, and
    keeps those pages as they leave every layer.

    Right after core.proxies.TrustedProxyMiddleware: the answers it keeps have been
    through everything else, so a kept answer carries the same headers as a fresh one.
    It keeps only what PageCacheMiddleware marked, so it never answers an address the
    page view did not serve; an http address the security layer redirects, a path
    Wagtail does not serve or a host ALLOWED_HOSTS refuses never reaches it. It reads
    no database: which site an address is comes from the page views of this process."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = look_up(request)
        if found is None:
            return self.get_response(request)
        if found.entry is not None:
            return answer(request, found.entry)
        request._page_cache = (found.key, found.address)
        response = self.get_response(request)
        pending = getattr(request, "_page_cache_pending", None)
        rendered = getattr(request, "_page_cache_rendered", None)
        until = content_until(request)
        seconds = seconds_until(until, settings.PAGE_CACHE_SECONDS)
        if (
            rendered is not None
            and response.status_code == 200
            and not response.cookies
            and seconds
        ):
            entry = entry_for(response, pending, *rendered, until=until)
            cache.set(found.key, entry, seconds)
            LOCAL.keep(found.key, entry)
        return response


# Requests whose answer depends on what the browser has: Django's rules give it.
CONDITIONAL_HEADERS = frozenset(
    {"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE"}
)


class KeptPages:
    """WSGI middleware around Django's handler (config/wsgi.py), as WhiteNoise's is:
    answers kept pages before the handler sets up the request, sends its signals and
    runs the middleware, which was most of what a kept page cost.

    The lookup and the answer are EarlyPageCacheMiddleware's, which answers what this
    passes on: pages not kept here. A conditional request gets its 304 or 412 by
    Django's rules, through that answer's HttpResponse; the others, most of them, get
    the bytes without one. Without a proxy's header rewritten (TrustedProxyMiddleware)
    nothing differs: a kept page does not depend on the visitor's address."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.application(environ, start_response)
        request = WSGIRequest(environ)
        found = look_up(request)
        if found is None or found.entry is None:
            return self.application(environ, start_response)
        if CONDITIONAL_HEADERS.isdisjoint(environ):
            status, headers, body = kept_answer(request, found.entry)
            start_response(f"{status} {responses[status]}", headers)
            return [body]
        response = answer(request, found.entry)
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return [response.content]


class PageCacheMiddleware:
    """Gives the pages Wagtail's page view serves an ETag and a Last-Modified, and marks
    those EarlyPageCacheMiddleware may keep, with the site Wagtail found for the address
    and its version read before the page is rendered.

    Last in MIDDLEWARE: it sees the view, and the page as the view made it."""

    def __init__(self, get_response):
        from wagtail.views import serve  # needs the models, which import this module

        self.get_response = get_response
        self.serve = serve

    def __call__(self, request):
        response = self.get_response(request)
        if not hasattr(request, "_page_cache_pending") or not is_cacheable_response(
            request, response
        ):
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        content = response.content
        etag = f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
        last_modified = int(time.time())
        request._page_cache_rendered = (etag, last_modified, content)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        # Browsers ask again each time (a 304 costs nothing); a shared cache must not give
        # a visitor's page to someone signed in.
        patch_cache_control(response, no_cache=True)
        response["Vary"] = "Cookie"
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not self.serve or not hasattr(request, "_page_cache"):
            return
        if not set(request.GET) <= set(settings.PAGE_CACHE_QUERY_PARAMS):
            return  # a path of keep_answer's, with a query Wagtail's pages do not read
        key, address = request._page_cache
        site = Site.find_for_request(request)  # the view finds it here again, for free
        if site is None:
            return
        _learn(address, site)
        request._page_cache_pending = Pending(key, site.pk, site_version(site.pk))
