"""Stamps: values in the shared cache that change whenever what they stand for changes
(a site's pages, the list of sites), read on every request by the page cache, the
fragments and the site lookups.

With Redis, asking for a stamp was one network round trip per stamp per request: a third
of the time of a page answered from the page cache. So each process subscribes to a
channel on which every renewal is announced, and keeps the stamps it has read in memory
until an announcement names them. The announcements waiting on the socket are read,
without blocking, before every use, so a renewal made before a request arrived is always
seen: a page changed by a request that has answered is never served old afterwards.

What the process knows is forgotten whenever the subscription cannot be trusted (not yet
confirmed, reconnected, failed: then the stamps are read from the cache, as without this
module, until it is confirmed again), and in any case after TRUST_SECONDS, which bounds
how long a silently broken connection could hide a renewal. Any other cache backend
(memory, in development and most tests) is read directly: it is in this process already.
"""

import os
import threading
import time
from collections import OrderedDict

from django.core.cache import caches
from django_redis.cache import RedisCache
from redis.exceptions import RedisError

TRUST_SECONDS = 2.0
RETRY_SECONDS = 5.0


def read(key):
    """The stamp now: from memory when the subscription vouches for it, else from the
    cache (a new one if the cache lost it, never one that was used before)."""
    return LISTENER.read(key)


def renew(keys):
    """Give the keys a new stamp, and tell every process that theirs are out of date."""
    stamp = time.time_ns()
    cache = caches["default"]
    cache.set_many(dict.fromkeys(keys, stamp), timeout=None)
    LISTENER.renewed(cache, keys)


class Recent(OrderedDict):
    """What this process keeps in memory under the stamps (kept pages, routes): the
    `limit` most recently used, and only while renewals are heard live."""

    def __init__(self, limit):
        super().__init__()
        self.limit = limit

    def keep(self, key, value):
        if not is_live():
            return
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


def is_live():
    """Whether this process heard of renewals as they happened, as of its last read():
    Redis, subscribed and confirmed."""
    return LISTENER.confirmed and LISTENER.backend is caches["default"]


class Listener:
    """This process's subscription and what it knows. Gunicorn's sync workers have one
    thread; the lock is for threaded servers (runserver, gthread)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.backend = None
        self.pid = None
        self.pubsub = None
        self.confirmed = False
        self.retry_at = 0.0
        self.known = {}  # key -> (stamp, monotonic time it was read)

    def read(self, key):
        cache = caches["default"]
        if not isinstance(cache, RedisCache):
            return cache.get_or_set(key, time.time_ns, timeout=None)
        with self.lock:
            now = time.monotonic()
            if self._listening(cache, now):
                known = self.known.get(key)
                if known is not None and now - known[1] < TRUST_SECONDS:
                    return known[0]
            stamp = cache.get_or_set(key, time.time_ns, timeout=None)
            # Nothing was heard between the drain above and this read: an announcement
            # that names the key after it is on the socket and is read before next use.
            if self.confirmed:
                self.known[key] = (stamp, now)
            return stamp

    def renewed(self, cache, keys):
        if not isinstance(cache, RedisCache):
            return
        with self.lock:
            for key in keys:
                self.known.pop(key, None)
        try:
            cache.client.get_client(write=True).publish(channel(cache), "\n".join(keys))
        except RedisError:
            # The stamps are written: other processes read them within TRUST_SECONDS,
            # or at once if their subscription broke with this connection.
            pass

    def _listening(self, cache, now):
        """Subscribed, confirmed and up to date with the announcements sent so far."""
        if self.backend is not cache or self.pid != os.getpid():
            self._close()  # another cache (tests), or a forked worker: not our socket
            self.backend, self.pid, self.retry_at = cache, os.getpid(), 0.0
        if self.pubsub is None:
            if now < self.retry_at:
                return False
            self._subscribe(cache, now)
            if self.pubsub is None:
                return False
        try:
            while (message := self.pubsub.get_message(timeout=0)) is not None:
                self._hear(message)
        except (RedisError, OSError, RuntimeError):
            self._close()
            self.retry_at = now + RETRY_SECONDS
        return self.confirmed

    def _subscribe(self, cache, now):
        try:
            pubsub = cache.client.get_client(write=True).pubsub()
            pubsub.subscribe(channel(cache))
            # redis-py subscribes again by itself after a reconnection, when renewals
            # may have been missed: forget everything until that is confirmed.
            pubsub.connection.register_connect_callback(self._reconnected)
        except (RedisError, OSError):
            self.retry_at = now + RETRY_SECONDS
            return
        self.pubsub = pubsub

    def _reconnected(self, connection):
        self.confirmed = False
        self.known.clear()

    def _hear(self, message):
        if message["type"] == "subscribe":
            self.confirmed = True
            self.known.clear()
        elif message["type"] == "message":
            for key in message["data"].decode().split("\n"):
                self.known.pop(key, None)

    def _close(self):
        if self.pubsub is not None:
            try:
                self.pubsub.close()
            except (RedisError, OSError):
                pass
        self.pubsub = None
        self.confirmed = False
        self.known.clear()


def channel(cache):
    """One channel per key prefix, like the keys: two installs may share a Redis."""
    return cache.make_key("stamps:renewed")


LISTENER = Listener()
