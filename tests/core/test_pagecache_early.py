"""The early answer of the page cache (core.pagecache.EarlyPageCacheMiddleware): a kept
page is answered before sessions, CSRF, authentication and the database, yet a visitor
gets the same bytes and headers as from a fresh render, a 304 when their browser has
it, and never a page of another site or one kept for someone else."""

import gzip
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, Site

from booking import services
from core import pagecache
from tests.booking.factories import GroupSessionFactory
from tests.home.factories import HomePageFactory, StandardPageFactory

GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The page cache on, with the security headers production sends."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "b.example", "c.example"]
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_REFERRER_POLICY = "same-origin"
    settings.X_FRAME_OPTIONS = "DENY"
    cache.clear()
    pagecache.SITES.clear()
    yield
    cache.clear()
    pagecache.SITES.clear()


@pytest.fixture
def about(home):
    return StandardPageFactory(parent=home, title="Qui sommes-nous", show_in_menus=True)


def rename_silently(page, title):
    """A change no signal reports: a kept page goes on showing the old title."""
    Page.objects.filter(pk=page.pk).update(title=title)


def text_of(response):
    assert response.status_code == 200
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def kept(client, page, **extra):
    """Visits the page until it is kept: a title changed behind the cache's back does
    not show on the second visit."""
    client.get(page.url, **extra)
    rename_silently(page, "Titre jamais publié")
    assert "Titre jamais publié" not in text_of(client.get(page.url, **extra))
    rename_silently(page, page.title)


def headers_of(response):
    """The headers, but the length of a gzipped body: GZipMiddleware pads each answer
    it compresses with random bytes (against BREACH), the kept page once."""
    headers = {name.lower(): value for name, value in response.items()}
    assert int(headers["content-length"]) == len(response.content)
    if headers.get("content-encoding") == "gzip":
        del headers["content-length"]
    return headers


@pytest.mark.parametrize("encoding", [GZIP, {}], ids=["gzip", "plain"])
def test_a_kept_page_has_the_bytes_and_headers_of_a_fresh_render(
    client, about, encoding, django_assert_num_queries
):
    fresh = client.get(about.url, secure=True, headers=encoding)
    with django_assert_num_queries(0):
        answer = client.get(about.url, secure=True, headers=encoding)
    assert headers_of(answer) == headers_of(fresh)
    assert text_of(answer) == text_of(fresh)
    headers = headers_of(answer)
    for name in (
        "strict-transport-security",
        "content-security-policy",
        "permissions-policy",
        "x-frame-options",
        "referrer-policy",
        "content-language",
        "vary",
        "cache-control",
    ):
        assert name in headers
    assert ("content-encoding" in headers) == bool(encoding)


def test_a_page_kept_for_a_browser_without_gzip_is_gzipped_for_the_others(client, about):
    fresh = client.get(about.url, headers=GZIP)
    cache.clear()
    client.get(about.url)  # kept from an answer that was not compressed
    answer = client.get(about.url, headers=GZIP)
    rendered, kept_headers = headers_of(fresh), headers_of(answer)
    del rendered["last-modified"], kept_headers["last-modified"]  # two renders, two times
    assert kept_headers == rendered
    assert text_of(answer) == text_of(fresh)


def test_a_browser_that_has_the_kept_page_gets_304_with_the_security_headers(client, about):
    first = client.get(about.url, headers=GZIP)
    again = client.get(about.url, headers={**GZIP, "if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    headers = {name.lower(): value for name, value in again.items()}
    assert headers["etag"] == first["ETag"]
    for name in ("content-security-policy", "permissions-policy", "x-frame-options", "vary"):
        assert headers[name] == first[name]
    since = client.get(about.url, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_a_signed_in_editor_a_token_or_a_post_is_never_answered_from_the_cache(
    client, about, admin_user
):
    kept(client, about)
    rename_silently(about, "Brouillon vu par l'équipe")
    editor = Client()
    editor.force_login(admin_user)
    assert "wagtail-userbar" in text_of(editor.get(about.url))
    assert "Brouillon vu par l&#x27;équipe" in text_of(
        client.get(about.url, headers={"authorization": "Bearer abc"})
    )
    assert "Brouillon vu par l&#x27;équipe" in text_of(client.post(about.url))
    assert "Qui sommes-nous" in text_of(client.get(about.url))


def test_a_kept_page_is_answered_afresh_at_once_after_a_publication_and_a_booking(
    client, home, about
):
    kept(client, about)
    about.title = "Qui on est"
    about.save_revision().publish()
    assert "Qui on est" in text_of(client.get(about.url))
    kept(client, about)
    rename_silently(about, "Ce que la réservation remet à jour")
    session = GroupSessionFactory(start=timezone.now() + timedelta(days=3))
    services.book(first_name="Léa", email="lea@example.org", consent=True, group_session=session)
    assert "Ce que la réservation remet à jour" in text_of(client.get(about.url))


@pytest.fixture
def second_site(home):
    """Another structure's site at b.example, with its own home."""
    root = HomePageFactory(parent=Page.get_first_root_node(), title="Mission Locale B")
    return Site.objects.create(hostname="b.example", port=80, root_page=root)


def test_each_site_gets_its_own_page_at_the_same_address(client, home, second_site):
    assert "Mission Locale B" in text_of(client.get("/", HTTP_HOST="b.example"))
    assert "Mission Locale B" in text_of(client.get("/", HTTP_HOST="b.example"))
    assert "Mission Locale B" not in text_of(client.get("/", HTTP_HOST="localhost"))
    assert "Mission Locale B" not in text_of(client.get("/", HTTP_HOST="c.example"))


def test_an_address_a_site_gives_up_shows_the_default_site_at_once(client, home, second_site):
    client.get("/", HTTP_HOST="b.example")
    assert "Mission Locale B" in text_of(client.get("/", HTTP_HOST="b.example"))
    second_site.hostname = "c.example"
    second_site.save()
    assert "Mission Locale B" not in text_of(client.get("/", HTTP_HOST="b.example"))
    assert "Mission Locale B" in text_of(client.get("/", HTTP_HOST="c.example"))


def test_a_process_that_missed_the_change_of_a_site_never_shows_its_old_page(
    client, home, second_site
):
    """Another worker still takes b.example for the second site: the version it reads
    has changed, and the page the address now shows was kept for the default site."""
    client.get("/", HTTP_HOST="b.example")
    assert "Mission Locale B" in text_of(client.get("/", HTTP_HOST="b.example"))
    stale = dict(pagecache.SITES)
    second_site.delete()
    for _ in range(3):
        pagecache.SITES.update(stale)  # what the other process still believes
        assert "Mission Locale B" not in text_of(client.get("/", HTTP_HOST="b.example"))


def test_a_site_on_another_port_gets_its_own_page(client, home, second_site):
    second_site.port = 8080
    second_site.save()
    b_default = HomePageFactory(parent=Page.get_first_root_node(), title="B sur le port 80")
    Site.objects.create(hostname="b.example", port=80, root_page=b_default)
    for _ in range(2):
        on_8080 = client.get("/", HTTP_HOST="b.example:8080", SERVER_PORT="8080")
        assert "Mission Locale B" in text_of(on_8080)
        assert "B sur le port 80" in text_of(client.get("/", HTTP_HOST="b.example"))


def test_a_host_the_site_does_not_serve_is_refused_even_when_the_page_is_kept(client, about):
    kept(client, about)
    assert client.get(about.url, HTTP_HOST="evil.example").status_code == 400


def test_the_plain_http_address_of_a_kept_page_still_moves_to_https(client, about, settings):
    settings.SECURE_SSL_REDIRECT = True
    kept(client, about, secure=True)
    moved = client.get(about.url)
    assert moved.status_code == 301 and moved["Location"].startswith("https://")


def test_an_address_that_is_no_page_costs_the_cache_no_query(
    client, home, django_assert_num_queries
):
    """Which site a host is comes from the page views, never from a query of its own."""
    with django_assert_num_queries(0):
        assert client.get("/robots.txt").status_code == 200
