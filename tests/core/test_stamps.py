"""Stamps heard live: a process keeps the stamps it read in memory, and sees every
renewal made elsewhere before its next use, on a real Redis. Each Listener stands for
one process (a gunicorn worker): its own subscription and memory."""

import time

import pytest
import redis
from django.core.cache import caches

from core import stamps

KEY = "test:stamp"


@pytest.fixture
def redis_cache(settings, redis_url):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "test-stamps",
        }
    }
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def reads(monkeypatch):
    """How many times stamps were read from the cache rather than from memory."""
    count = []
    original = stamps.caches["default"].__class__.get_or_set

    def counting(self, *args, **kwargs):
        count.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(stamps.caches["default"].__class__, "get_or_set", counting)
    return count


def process():
    return stamps.Listener()


def test_a_stamp_read_once_is_answered_from_memory(redis_cache, reads):
    worker = process()
    first = worker.read(KEY)
    assert [worker.read(KEY) for _ in range(50)] == [first] * 50
    # The first read subscribes; the one after it, once confirmed, is remembered.
    assert len(reads) <= 2


def test_a_renewal_elsewhere_is_seen_by_the_next_read(redis_cache):
    worker, other = process(), process()
    for _ in range(3):
        before = worker.read(KEY)
        worker.read(KEY)
        stamps.LISTENER, saved = other, stamps.LISTENER
        try:
            stamps.renew([KEY])
        finally:
            stamps.LISTENER = saved
        after = worker.read(KEY)
        assert after != before
        assert after == redis_cache.get(KEY)


def test_a_renewal_here_is_seen_at_once(redis_cache):
    before = stamps.read(KEY)
    stamps.read(KEY)
    stamps.renew([KEY])
    assert stamps.read(KEY) != before


def test_a_lost_subscription_reads_the_cache_until_it_is_back(redis_cache, redis_url, monkeypatch):
    """Renewals announced while the connection is down are lost: the process forgets
    what it knew and reads the cache, and subscribes again (after RETRY_SECONDS)."""
    monkeypatch.setattr(stamps, "RETRY_SECONDS", 0)
    worker = process()
    worker.read(KEY)
    before = worker.read(KEY)
    assert worker.confirmed
    server = redis.Redis.from_url(redis_url)
    assert server.client_kill_filter(_type="pubsub") >= 1
    redis_cache.set(KEY, before + 1, timeout=None)  # renewed while nobody listened
    assert worker.read(KEY) == before + 1
    for _ in range(20):  # subscribed again, and trusted again once confirmed
        worker.read(KEY)
        if worker.confirmed:
            break
        time.sleep(0.05)
    assert worker.confirmed
    assert worker.read(KEY) == before + 1


def test_memory_is_trusted_only_for_a_short_while(redis_cache, monkeypatch):
    """A renewal whose announcement never arrives (a connection broken silently) shows
    within TRUST_SECONDS."""
    worker = process()
    worker.read(KEY)
    before = worker.read(KEY)
    redis_cache.set(KEY, before + 1, timeout=None)  # no announcement
    assert worker.read(KEY) == before
    monkeypatch.setattr(stamps, "TRUST_SECONDS", 0)
    assert worker.read(KEY) == before + 1


def test_an_unreachable_redis_fails_as_the_cache_does(settings):
    """No subscription to trust: reads go to the cache, whose error the page sees."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    worker = process()
    with pytest.raises(redis.exceptions.ConnectionError):
        worker.read(KEY)
    assert not worker.confirmed and worker.pubsub is None


def test_without_redis_stamps_are_the_caches_own(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    before = stamps.read(KEY)
    assert stamps.read(KEY) == before and not stamps.is_live()
    stamps.renew([KEY])
    assert stamps.read(KEY) != before
