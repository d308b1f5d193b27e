"""A per-IP limit on POSTs, with no CAPTCHA (the site must work without JavaScript).

A fixed window counted in Django's cache with `add` then `incr`, each one atomic on Redis
(django-redis increments in the server) and on LocMem. Production requires Redis
(REDIS_URL): LocMem counts per process, and the file cache's `incr` is a read then a
write, so concurrent attempts overwrite each other and the limit leaks. The address is
REMOTE_ADDR, which core.proxies rewrites to the visitor's behind a trusted proxy
(DJANGO_TRUSTED_PROXIES); without it, everyone behind the proxy would share one counter.
"""

import time
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render


def over_limit(request, scope, limit):
    """Count this request against `limit`, (attempts, seconds). Over the limit: the
    seconds until the window ends; else 0. Callers sharing a `scope` share the count."""
    attempts, period = limit
    now = time.time()
    window = int(now // period)
    key = f"booking-ratelimit:{scope}:{request.META.get('REMOTE_ADDR', '')}:{window}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    if count <= attempts:
        return 0
    return max(1, int((window + 1) * period - now))


def limit_posts(scope, limit, template):
    """Refuse POSTs over `limit` with `template` (given `minutes`) and HTTP 429.
    `limit` is a callable given the request, so the limit is read at request time (the
    structure's, say)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = over_limit(request, scope, limit(request)) if request.method == "POST" else 0
            if wait:
                response = render(request, template, {"minutes": -(-wait // 60)}, status=429)
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
