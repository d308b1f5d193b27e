"""Each public CMS page of the demo rendered afresh, with the layout's fragments cached,
and answered from the page cache: prints the queries and the median time per request
through Django's test client, asserts nothing. Relative figures only; bench/pages.py
measures the production stack against a bare Wagtail site.

    .venv/bin/python bench/page_cache.py

"Uncached" is what the page cost before the page cache: PAGE_CACHE_SECONDS=0, so no
fragment either; "fragments" is a visitor the page cache does not answer (a cookie),
"cached" an anonymous visitor.
"""

import statistics
import time
from io import StringIO

import throwaway  # sets Django up: before anything that needs it

# isort: split

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from wagtail.models import Page

RUNS = 50


def measure(client, path):
    client.get(path)  # renditions, the settings row, the cache
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        client.get(path)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return len(queries), statistics.median(times) * 1000


def main():
    throwaway.migrate()
    with override_settings(MEDIA_ROOT=f"{throwaway.WORKDIR.name}/media"):
        call_command("load_demo", stdout=StringIO())
        pages = Page.objects.live().filter(depth__gt=1).specific()
        paths = [page.url for page in pages if page.url]
        throwaway.report_machine(RUNS)
        throwaway.report(f"{'page':<52} uncached  fragments  cached   (queries, ms median)")
        rendering = Client(HTTP_HOST="localhost")
        rendering.cookies["visite"] = "1"
        for path in paths:
            with override_settings(PAGE_CACHE_SECONDS=0):
                uncached = measure(Client(HTTP_HOST="localhost"), path)
            with override_settings(PAGE_CACHE_SECONDS=300):
                cache.clear()
                fragments = measure(rendering, path)
                cached = measure(Client(HTTP_HOST="localhost"), path)
            columns = "".join(f"{q:>4} {ms:5.1f}  " for q, ms in (uncached, fragments, cached))
            speedup = uncached[1] / cached[1]
            throwaway.report(f"{path:<52} {columns} ×{speedup:.0f} cached")


if __name__ == "__main__":
    throwaway.run(main)
