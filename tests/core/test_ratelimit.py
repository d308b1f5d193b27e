"""The per-client limit holds when attempts arrive together, as they do from a script;
an attempt taken back leaves room again."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import RequestFactory

from core.ratelimit import forgive, hit, over_limit, waiting

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


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_a_forgiven_attempt_leaves_room_and_waiting_counts_nothing(settings, backend, request):
    if backend == "redis":
        location = request.getfixturevalue("redis_url")
        settings.CACHES = {
            "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": location}
        }
    scope, limit = f"test-{uuid.uuid4().hex}", (2, 3600)

    assert hit(scope, "key:1", limit) == hit(scope, "key:1", limit) == 0
    assert waiting(scope, "key:1", limit) > 0, "the limit is reached"
    forgive(scope, "key:1", limit)
    assert waiting(scope, "key:1", limit) == 0
    assert waiting(scope, "key:1", limit) == 0, "asking does not count"
    assert hit(scope, "key:1", limit) == 0
    assert hit(scope, "key:1", limit) > 0
    assert hit(scope, "key:2", limit) == 0, "another client has its own count"
    forgive(f"{scope}-never-counted", "key:1", limit)  # nothing to take back: no error
