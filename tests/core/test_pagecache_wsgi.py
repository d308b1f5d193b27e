"""Kept pages answered in front of Django's handler (core.pagecache.KeptPages, the
production WSGI application): the same answer as the page cache's middleware gives,
and everything it may not answer passed on to Django."""

import gzip

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
from wagtail.models import Page

from core import pagecache
from tests.home.factories import StandardPageFactory

GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.X_FRAME_OPTIONS = "DENY"
    cache.clear()
    pagecache.SITES.clear()
    yield
    cache.clear()
    pagecache.SITES.clear()


class Handler:
    """Django's handler, counting the requests it was given."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def django_app():
    return Handler()


@pytest.fixture
def app(django_app):
    return pagecache.KeptPages(django_app)


@pytest.fixture
def about(home):
    return StandardPageFactory(parent=home, title="Qui sommes-nous")


class Answer:
    def __init__(self, app, method, path, headers):
        environ = getattr(RequestFactory(), method)(path, headers=headers).environ
        self.status, self.headers = None, None

        def start_response(status, headers, exc_info=None):
            self.status, self.headers = status, headers

        chunks = app(environ, start_response)
        self.body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()

    @property
    def header(self):
        return {name.lower(): value for name, value in self.headers}

    @property
    def text(self):
        body = self.body
        if self.header.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode()


def visit(app, path, method="get", **headers):
    return Answer(app, method, path, headers)


@pytest.mark.parametrize("encoding", [GZIP, {}], ids=["gzip", "plain"])
def test_a_kept_page_is_answered_without_django_and_as_django_answers_it(
    app, django_app, about, encoding
):
    visit(app, about.url, **encoding)  # rendered and kept
    assert django_app.calls == 1
    answer = visit(app, about.url, **encoding)
    assert django_app.calls == 1
    from_django = visit(django_app, about.url, **encoding)  # the middleware's answer
    assert answer.status == from_django.status == "200 OK"
    assert answer.header == from_django.header
    assert answer.body == from_django.body
    assert "Qui sommes-nous" in answer.text
    assert answer.header["x-frame-options"] == "DENY"
    assert ("content-encoding" in answer.header) == bool(encoding)
    head = visit(app, about.url, method="head", **encoding)
    assert django_app.calls == 2 and head.header == answer.header


def test_a_browser_that_has_the_page_gets_the_304_django_gives(app, django_app, about):
    first = visit(app, about.url, **GZIP)
    calls = django_app.calls
    again = {**GZIP, "if_none_match": first.header["etag"]}
    not_modified = visit(app, about.url, **again)
    assert django_app.calls == calls
    from_django = visit(django_app, about.url, **again)
    assert not_modified.status == from_django.status == "304 Not Modified"
    assert not_modified.header == from_django.header and not_modified.body == b""
    assert not_modified.header["etag"] == first.header["etag"]
    changed = visit(app, about.url, if_none_match='"an-older-page"')
    assert changed.status == "200 OK" and "Qui sommes-nous" in changed.text


def test_what_it_may_not_answer_goes_on_to_django(app, django_app, about):
    visit(app, about.url)
    calls = django_app.calls
    visit(app, about.url, cookie="sessionid=abc")
    visit(app, about.url + "?utm_source=sms")
    visit(app, about.url, method="post")
    refused = visit(app, about.url, host="evil.example")
    assert refused.status.startswith("400")
    assert django_app.calls == calls + 4


def test_a_published_change_is_not_answered_from_the_old_page(app, django_app, about):
    visit(app, about.url)
    about.title = "Qui sommes-nous, vraiment"
    about.save_revision().publish()
    calls = django_app.calls
    assert "Qui sommes-nous, vraiment" in visit(app, about.url).text
    assert django_app.calls == calls + 1
    Page.objects.filter(pk=about.pk).update(title="Jamais publié")
    assert "Jamais publié" not in visit(app, about.url).text  # kept again
    assert django_app.calls == calls + 1


def test_a_new_release_never_reads_what_the_last_one_kept(app, django_app, about, settings):
    """Its code may keep pages in another shape: it renders them again."""
    settings.RELEASE = "last"
    visit(app, about.url)
    visit(app, about.url)
    calls = django_app.calls
    settings.RELEASE = "new"
    visit(app, about.url)
    assert django_app.calls == calls + 1
