"""How heavy each demo page is to download: prints figures, asserts nothing.

    .venv/bin/python bench/page_weight.py

For every page of the demo site's sitemap, plus a search, prints the bytes of the HTML and
of the stylesheets and scripts it links to (images and videos aside), uncompressed and
gzipped. Builds the demo in a throwaway in-memory database with the test settings, so it
needs no running server and leaves var/ alone. tests/test_page_weight.py holds the home
page to its budget with the same measure.
"""

import gzip
import os
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


class LinkedAssets(HTMLParser):
    """Collects the stylesheets and scripts an HTML page makes the browser download."""

    def __init__(self):
        super().__init__()
        self.css, self.js = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href"):
            self.css.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.js.append(attrs["src"])


@dataclass
class PageWeight:
    path: str
    html: bytes = b""
    css: dict = field(default_factory=dict)  # URL -> content
    js: dict = field(default_factory=dict)

    def sizes(self, compress=False):
        """Bytes of HTML, CSS and JS, as (html, css, js, total)."""

        def size(data):
            return len(gzip.compress(data, compresslevel=9, mtime=0)) if compress else len(data)

        html = size(self.html)
        css = sum(size(data) for data in self.css.values())
        js = sum(size(data) for data in self.js.values())
        return html, css, js, html + css + js


def fetch_asset(client, url):
    """A static file straight from the finders (the test server does not serve them),
    anything else local through Django; another host is refused: the site uses no CDN."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    parts = urlsplit(url)
    if parts.netloc:
        raise AssertionError(f"{url} comes from another host")
    if parts.path.startswith(settings.STATIC_URL):
        found = finders.find(parts.path.removeprefix(settings.STATIC_URL))
        if found is None:
            raise AssertionError(f"{url} is linked but no such static file exists")
        return Path(found).read_bytes()
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}")
    return response.content


def page_weight(client, path):
    response = client.get(path)
    if response.status_code != 200:
        raise AssertionError(f"{path} answered {response.status_code}")
    weight = PageWeight(path, html=response.content)
    assets = LinkedAssets()
    assets.feed(response.content.decode(response.charset or "utf-8"))
    weight.css = {url: fetch_asset(client, url) for url in assets.css}
    weight.js = {url: fetch_asset(client, url) for url in assets.js}
    return weight


def sitemap_paths(client):
    response = client.get("/sitemap.xml")
    namespace = {"sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = ET.fromstring(response.content).iterfind("sitemap:url/sitemap:loc", namespace)
    return [urlsplit(loc.text.strip()).path for loc in locations]


def print_table(weights):
    header = ("page", "HTML", "CSS", "JS", "total", "gz HTML", "gz CSS", "gz JS", "gz total")
    rows = [(weight.path, *weight.sizes(), *weight.sizes(compress=True)) for weight in weights]
    width = max(len(header[0]), *(len(row[0]) for row in rows))
    print(f"{header[0]:<{width}}" + "".join(f"{title:>10}" for title in header[1:]))  # noqa: T201
    for path, *sizes in rows:
        print(f"{path:<{width}}" + "".join(f"{size:>10,}" for size in sizes))  # noqa: T201
    print("bytes; gz: gzip -9. Images and videos are not counted.")  # noqa: T201


def main():
    sys.path.insert(0, str(ROOT))
    workdir = tempfile.TemporaryDirectory(prefix="passerelle-bench-")
    os.environ["PASSERELLE_VAR_DIR"] = workdir.name
    (Path(workdir.name) / "static").mkdir()  # WhiteNoise warns when STATIC_ROOT is missing
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        with override_settings(MEDIA_ROOT=Path(workdir.name) / "media"):
            call_command("load_demo", stdout=StringIO())
            client = Client()
            paths = [*sitemap_paths(client), "/recherche/?q=rendez-vous"]
            print_table([page_weight(client, path) for path in paths])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        workdir.cleanup()


if __name__ == "__main__":
    main()
