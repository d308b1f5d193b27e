"""The per-address limit holds when attempts arrive together, as they do from a script."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from django.test import RequestFactory

from core.ratelimit import over_limit

ATTEMPTS = 40
LIMIT = (10, 3600)


def attempt_together(scope):
    """ATTEMPTS POSTs from one address at the same instant, each thread with its own cache
    client and connection, as gunicorn workers would; how many were let through."""
    barrier = threading.Barrier(ATTEMPTS, timeout=60)

    def post(_number):
        request = RequestFactory().post("/rendez-vous/", REMOTE_ADDR="203.0.113.9")
        barrier.wait()
        return over_limit(request, scope, LIMIT) == 0

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        return sum(pool.map(post, range(ATTEMPTS)))


def test_exactly_the_limit_gets_through_on_redis(settings, redis_url):
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}
    }

    assert attempt_together(f"test-{uuid.uuid4().hex}") == LIMIT[0]
