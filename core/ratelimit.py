"""Limits on POSTs counted per client (an address, an API key), with no CAPTCHA (the
site must work without JavaScript).

A fixed window counted in Django's cache with `add` then `incr`, each one atomic on Redis
(django-redis increments in the server) and on LocMem. Production requires Redis
(REDIS_URL): LocMem counts per process, and the file cache's `incr` is a read then a
write, so concurrent attempts overwrite each other and the limit leaks. The address is
REMOTE_ADDR, which core.proxies rewrites to the visitor's behind a trusted proxy
(DJANGO_TRUSTED_PROXIES); without it, everyone behind the proxy would share one counter.

`hit` counts an attempt before it runs, so concurrent ones cannot pass the limit
together; `forgive` takes back one that should not count (a booking made), and `count`
with `waiting` count what is known only afterwards (a slot refused).
"""

import time
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render


def hit(scope, client, limit):
    """Count an attempt of `client` against `limit`, (attempts, seconds). Over the limit:
    the seconds until the window ends; else 0. Callers sharing a `scope` share the count."""
    attempts, period = limit
    if count(scope, client, limit) <= attempts:
        return 0
    return _seconds_left(period)


def count(scope, client, limit):
    """Count an attempt in the current window and return how many it holds."""
    key = _key(scope, client, limit[1])
    cache.add(key, 0, timeout=limit[1])
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit[1])
        return 1


def waiting(scope, client, limit):
    """The seconds `client` must wait because the limit is already reached; else 0.
    Counts nothing."""
    attempts, period = limit
    if cache.get(_key(scope, client, period), 0) < attempts:
        return 0
    return _seconds_left(period)


def forgive(scope, client, limit):
    """Take back an attempt `hit` counted. Should its window have ended meanwhile, the
    new window is taken down by one (harmless) or has no count yet (nothing to do)."""
    try:
        cache.decr(_key(scope, client, limit[1]))
    except ValueError:
        pass


def over_limit(request, scope, limit):
    """`hit` for the request's address."""
    return hit(scope, client_address(request), limit)


def client_address(request):
    return request.META.get("REMOTE_ADDR", "")


def _key(scope, client, period):
    return f"booking-ratelimit:{scope}:{client}:{int(time.time() // period)}"


def _seconds_left(period):
    now = time.time()
    return max(1, int((now // period + 1) * period - now))


def limit_posts(scope, limit, template):
    """Refuse POSTs over `limit` with `template` (given `minutes`) and HTTP 429.
    `limit` is a callable given the request, so the limit is read at request time (the
    structure's, say)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = over_limit(request, scope, limit(request)) if request.method == "POST" else 0
            if wait:
                response = render(request, template, {"minutes": minutes(wait)}, status=429)
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def minutes(seconds):
    """Whole minutes to wait, rounded up, as pages say it."""
    return -(-seconds // 60)
