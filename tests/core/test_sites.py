"""Each host's Wagtail site comes from the cache, and a change of sites is seen at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.home.factories import HomePageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sites_cached(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def site_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return [query for query in queries if "wagtailcore_site" in query["sql"]]


def test_a_second_visit_does_not_look_the_site_up_in_the_database(client, home):
    about = StandardPageFactory(parent=home, slug="qui-sommes-nous")

    assert site_queries(client, about.url)
    assert site_queries(client, about.url) == []
    assert site_queries(client, "/") == []


def test_a_new_site_for_a_host_is_served_at_once(client, home, settings):
    settings.ALLOWED_HOSTS = ["localhost", "lens.example.org"]
    StandardPageFactory(parent=home, slug="qui-sommes-nous")
    assert client.get("/qui-sommes-nous/", HTTP_HOST="lens.example.org").status_code == 200
    other = HomePageFactory(parent=home.get_parent(), title="Mission locale de Lens")
    other.sites_rooted_here.create(hostname="lens.example.org", port=80, site_name="Lens")

    assert client.get("/qui-sommes-nous/", HTTP_HOST="lens.example.org").status_code == 404
    assert "Mission locale de Lens" in client.get("/", HTTP_HOST="lens.example.org").text


def test_the_page_versions_renewed_by_a_change_include_a_site_added_since(home):
    """The list of sites is kept, and renewed when a site is added: a booking made after
    gives the new site's pages a new version too."""
    from wagtail.models import Site

    from core import pagecache

    pagecache.bump()  # the list of sites is read, and kept
    other = Site.objects.create(
        hostname="sud.localhost",
        port=80,
        root_page=HomePageFactory(parent=home.get_parent(), slug="sud"),
    )
    before = pagecache.site_version(other.pk)

    pagecache.bump()

    assert pagecache.site_version(other.pk) != before
    with CaptureQueriesContext(connection) as again:
        pagecache.bump()
    assert not [q for q in again if "wagtailcore_site" in q["sql"]], "kept after one read"


def test_a_request_reads_the_sites_version_once(client, home, monkeypatch):
    """The site and the structure of a request are both kept under the sites' version:
    one read of it in the shared cache serves both."""
    from django.core.cache import caches

    from core import sites

    reads = []
    shared = caches["default"]
    get_or_set = shared.get_or_set

    def counting(key, *args, **kwargs):
        reads.append(key)
        return get_or_set(key, *args, **kwargs)

    client.get("/rendez-vous/")  # warm
    monkeypatch.setattr(shared, "get_or_set", counting)
    assert client.get("/rendez-vous/").status_code == 200

    assert reads.count(sites.VERSION_KEY) == 1
