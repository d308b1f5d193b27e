"""The template fragments' cache: the shared cache, with what this process read or wrote
last kept in its own memory as well.

A page that the page cache does not answer is still built mostly from kept parts (menus,
footer, site settings, a page's content, the booking flow's lists), each one a round
trip to Redis: six to eight per page. Their keys carry the stamps they depend on (the
site's version, a page's revision), so an entry under a key is never out of date, only
unused once a stamp is renewed: this process can answer it from memory until it
expires, and any process reads the same bytes for the same key. Memory is trusted only
while the stamps are heard live (core.stamps), like the kept pages.

Configured as Django's "template_fragments" cache when Redis is the shared cache, so
{% cache %} and Wagtail's {% wagtailcache %} use it; `pagecache.for_site` keeps its
objects in it too.
"""

import pickle
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

from . import stamps

ALIAS = "template_fragments"
MISSING = object()


class Kept(NamedTuple):
    """What the shared cache holds for a key: the value and when it expires (time.time(),
    inf for never), so memory keeps it no longer."""

    expires: float
    value: object


def fragment_cache():
    """The cache kept parts live in: the fragments' own, else the default one (in
    memory already, in development and most tests)."""
    try:
        return caches[ALIAS]
    except InvalidCacheBackendError:
        return caches["default"]


class LocalFirstCache(BaseCache):
    """Reads from this process's memory first, then from the shared cache (OPTIONS
    SHARED, "default"), where each entry is stored with the time it expires, so that
    memory never keeps it longer than the shared cache would. At most OPTIONS LIMIT
    entries (500) are kept in memory, the most recently used."""

    def __init__(self, location, params):
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self.shared_alias = options.get("SHARED", "default")
        self.local = stamps.Recent(options.get("LIMIT", 500))

    @property
    def shared(self):
        return caches[self.shared_alias]

    def get(self, key, default=None, version=None):
        local_key = (key, version)
        pickled = self.local.get(local_key) if stamps.is_live() else None
        if pickled is not None and pickled[0] > time.time():
            # A copy of its own for each request, as the shared cache gives: kept model
            # instances (a site, its root page) must not carry one request's reads into
            # the next.
            return pickle.loads(pickled[1])
        kept = self.shared.get(self.shared_key(key), version=version)
        if not isinstance(kept, Kept) or kept.expires <= time.time():
            return default
        self._keep(local_key, kept)
        return kept.value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        timeout, kept = self._entry(value, timeout)
        self.shared.set(self.shared_key(key), kept, timeout, version=version)
        self._keep((key, version), kept)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        timeout, kept = self._entry(value, timeout)
        added = self.shared.add(self.shared_key(key), kept, timeout, version=version)
        if added:
            self._keep((key, version), kept)
        return added

    def delete(self, key, version=None):
        self.local.pop((key, version), None)
        return self.shared.delete(self.shared_key(key), version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        self.local.pop((key, version), None)
        return False  # the expiry stored with the entry would say otherwise

    def has_key(self, key, version=None):
        return self.get(key, MISSING, version=version) is not MISSING

    def clear(self):
        self.local.clear()
        self.shared.clear()

    def _keep(self, local_key, kept):
        self.local.keep(
            local_key, (kept.expires, pickle.dumps(kept.value, pickle.HIGHEST_PROTOCOL))
        )

    @staticmethod
    def shared_key(key):
        """Apart from what the default cache keeps under the same names (the fragments,
        before this cache, were stored there), and from what another release kept."""
        return f"localfirst:{settings.RELEASE}:{key}"

    def _entry(self, value, timeout):
        """The timeout in seconds (None: forever), and what is stored: (expires, value)."""
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        expires = float("inf") if timeout is None else time.time() + timeout
        return timeout, Kept(expires, value)
