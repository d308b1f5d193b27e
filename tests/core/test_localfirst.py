"""The kept parts of pages read from the process's memory first, on a real Redis: a
fragment read again costs no round trip, expires when the shared cache would drop it,
is the same bytes in every process, and is read from Redis whenever the stamps are not
heard live. Each LocalFirstCache stands for one process (a gunicorn worker)."""

import time

import pytest
from django.core.cache import caches

from core import stamps
from core.localfirst import LocalFirstCache


@pytest.fixture
def redis_cache(settings, redis_url):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "test-localfirst",
        }
    }
    caches["default"].clear()
    stamps.read("test:live")  # subscribes
    for _ in range(50):  # the subscription's confirmation arrives on the socket
        if stamps.read("test:live") and stamps.is_live():
            break
        time.sleep(0.02)
    assert stamps.is_live()
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def round_trips(monkeypatch):
    """The keys read from Redis itself."""
    from django_redis.cache import RedisCache

    keys = []
    original = RedisCache.get

    def counting(self, key, *args, **kwargs):
        keys.append(key)
        return original(self, key, *args, **kwargs)

    monkeypatch.setattr(RedisCache, "get", counting)
    return keys


def process():
    return LocalFirstCache("", {})


def test_a_part_read_again_costs_no_round_trip(redis_cache, round_trips):
    worker = process()
    worker.set("menu", "<nav>…</nav>", 60, version=7)
    assert [worker.get("menu", version=7) for _ in range(20)] == ["<nav>…</nav>"] * 20
    assert round_trips == []


def test_every_process_reads_what_one_kept(redis_cache, round_trips):
    worker, other = process(), process()
    assert other.get_or_set("menu", lambda: "<nav>1</nav>", 60, version=7) == "<nav>1</nav>"
    assert worker.get("menu", version=7) == "<nav>1</nav>"
    assert worker.get("menu", version=7) == "<nav>1</nav>"
    assert round_trips.count(LocalFirstCache.shared_key("menu")) == 2  # once each
    # A new stamp is a new key: nothing kept under the old one is read.
    assert worker.get("menu", version=8) is None


def test_memory_keeps_a_part_no_longer_than_the_shared_cache(redis_cache):
    worker, other = process(), process()
    worker.set("slots", "9 h", 1, version=1)
    assert other.get("slots", version=1) == "9 h"
    time.sleep(1.1)
    assert worker.get("slots", version=1) is None
    assert other.get("slots", version=1) is None


def test_without_live_stamps_each_read_goes_to_redis(redis_cache, round_trips, monkeypatch):
    worker = process()
    worker.set("menu", "<nav>1</nav>", 60, version=7)
    monkeypatch.setattr(stamps, "is_live", lambda: False)
    redis_cache.set(LocalFirstCache.shared_key("menu"), None, 60, version=7)
    assert worker.get("menu", version=7) is None  # memory not trusted
    assert round_trips == [LocalFirstCache.shared_key("menu")]


def test_what_the_default_cache_kept_under_the_same_name_is_not_read(redis_cache):
    """Fragments were stored in the default cache before: a release that brings this
    cache finds those entries under the same names and must not take them for its own."""
    redis_cache.set("menu", "<nav>old</nav>", 60, version=7)
    assert process().get("menu", "missing", version=7) == "missing"


def test_a_process_of_another_release_does_not_read_what_this_one_kept(redis_cache, settings):
    """Its code may keep the same part in another shape (a tuple of other fields)."""
    settings.RELEASE = "last"
    process().set("route", ("page", 12), 60, version=7)
    settings.RELEASE = "new"
    assert process().get("route", "missing", version=7) == "missing"


def test_a_deleted_part_is_gone_from_memory_and_from_redis(redis_cache):
    worker, other = process(), process()
    worker.set("menu", "<nav>1</nav>", 60, version=7)
    worker.delete("menu", version=7)
    assert worker.get("menu", version=7) is None
    assert other.get("menu", version=7) is None


def test_each_read_is_a_copy_of_its_own(redis_cache):
    """What one request does to a kept object (a site whose root page it read) never
    reaches the next request's, as with the shared cache alone: else a page published
    elsewhere would be routed from the root page one request had read before."""
    worker = process()
    worker.set("site", {"root_page": "avant"}, 60, version=1)
    first = worker.get("site", version=1)
    first["root_page"] = "lu par une requête"
    assert worker.get("site", version=1) == {"root_page": "avant"}
