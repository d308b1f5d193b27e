"""How many of 40 simultaneous booking attempts from one address get past a limit of 10,
with the cache production once had (files) and the one it requires now (Redis): prints
figures, asserts nothing.

    bash scripts/with-services.sh .venv/bin/python bench/ratelimit_caches.py

8 processes of 5 threads each, released together by a barrier, call the limiter as
gunicorn workers would. The file cache's `incr` reads then writes, so attempts overwrite
each other's counts; Redis increments in the server. Redis is skipped without
TEST_REDIS_URL (scripts/with-services.sh sets it).
"""

import multiprocessing
import os
import threading
import uuid

import throwaway  # sets Django up: before anything that needs it

# isort: split

from django.core.cache import caches
from django.test import RequestFactory, override_settings

from core.ratelimit import over_limit

PROCESSES, THREADS, LIMIT, RUNS = 8, 5, (10, 3600), 5


def worker(cache_settings, scope, barrier, passed):
    with override_settings(CACHES={"default": cache_settings}):
        start = threading.Barrier(THREADS)
        results = []

        def attempt():
            request = RequestFactory().post("/rendez-vous/", REMOTE_ADDR="203.0.113.9")
            start.wait()
            results.append(over_limit(request, scope, LIMIT) == 0)

        threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
        barrier.wait()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        caches["default"].close()
    with passed.get_lock():
        passed.value += sum(results)


def let_through(cache_settings):
    context = multiprocessing.get_context("fork")
    barrier, passed = context.Barrier(PROCESSES), context.Value("i", 0)
    scope = f"bench-{uuid.uuid4().hex}"
    processes = [
        context.Process(target=worker, args=(cache_settings, scope, barrier, passed))
        for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return passed.value


def main():
    throwaway.report_machine(RUNS)
    backends = {
        "file cache": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.path.join(throwaway.WORKDIR.name, "cache"),
        }
    }
    if os.environ.get("TEST_REDIS_URL"):
        backends["Redis"] = {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["TEST_REDIS_URL"],
        }
    attempts = PROCESSES * THREADS
    for name, cache_settings in backends.items():
        counts = [let_through(cache_settings) for _ in range(RUNS)]
        throwaway.report(f"{name}: {counts} of {attempts} let through (limit {LIMIT[0]})")


throwaway.run(main)
